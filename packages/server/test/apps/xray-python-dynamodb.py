# A Python service instrumented with the AWS X-Ray SDK for Python (patching botocore) calling
# DynamoDB through boto3: one segment, one GetItem on each table named in the arguments, to the
# endpoint in DYNAMODB_ENDPOINT. Segments go to AWS_XRAY_DAEMON_ADDRESS. Prints "done".
import os
import sys

import boto3
from aws_xray_sdk.core import patch, xray_recorder

xray_recorder.configure(service='python-dynamo', sampling=False, context_missing='LOG_ERROR')
patch(('botocore',))
client = boto3.client(
    'dynamodb',
    endpoint_url=os.environ['DYNAMODB_ENDPOINT'],
    region_name='eu-west-1',
    aws_access_key_id='fluoro',
    aws_secret_access_key='fluoro',
)
with xray_recorder.in_segment('python-dynamo'):
    for table in sys.argv[1:]:
        client.get_item(TableName=table, Key={'id': {'S': '1'}})
print('done', flush=True)
