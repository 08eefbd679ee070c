/** The cold-start baseline: a hello-world Lambda handler, bundled and started like every function of the stack. */
export const handler = async (): Promise<{ statusCode: number; body: string }> => ({ statusCode: 200, body: 'hello' });
