# A Python service instrumented with the AWS X-Ray SDK for Python (2.x) in its default centralized
# sampling mode: rules and reservoir quotas polled from the daemon address (AWS_XRAY_DAEMON_ADDRESS,
# "tcp:host:port udp:host:port"). It handles RATE requests a second for SECONDS seconds, one segment
# each (the SDK decides which to send), then prints how many it handled.
#
#   python3 xray-python-sampling.py SERVICE RATE SECONDS
import sys
import time

from aws_xray_sdk.core import xray_recorder

service, rate, seconds = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
xray_recorder.configure(service=service, sampling=True, context_missing='LOG_ERROR')

# One request first: the SDK fetches the rules on its first decision.
xray_recorder.begin_segment(service)
xray_recorder.end_segment()
time.sleep(1)
print('started', flush=True)

start = time.time()
handled = 0
while handled < rate * seconds:
    wait = start + handled / rate - time.time()
    if wait > 0:
        time.sleep(wait)
    xray_recorder.begin_segment(service)
    xray_recorder.end_segment()
    handled += 1
print(f'handled {handled}', flush=True)
