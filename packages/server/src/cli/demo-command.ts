/**
 * `fluoro demo [flags]`: the demo shop and its load against a running Fluoro. The shop is not part
 * of the server package (it has its own dependencies: the AWS SDK, OpenTelemetry, sql.js); it is
 * loaded only when asked for, from the `@fluoro/demo-shop` workspace of Fluoro's repository.
 */
const SHOP_PACKAGE = '@fluoro/demo-shop';

export const DEMO_MISSING = `fluoro demo: the demo shop (${SHOP_PACKAGE}) is not installed here.
It ships in Fluoro's repository (examples/shop): in a clone, \`npm start\` runs Fluoro with the
shop, and \`npm run fluoro -- demo --help\` shows how to run the shop against another Fluoro.
`;

interface DemoShop {
  runDemo(argv: readonly string[]): Promise<number>;
}

/** Runs the demo shop until it stops; returns the exit code. */
export async function demoCommand(args: string[], err: (text: string) => void): Promise<number> {
  let shop: DemoShop;
  try {
    // A variable specifier: the server builds and runs without the shop.
    shop = (await import(SHOP_PACKAGE)) as DemoShop;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw e;
    err(DEMO_MISSING);
    return 1;
  }
  return shop.runDemo(args);
}
