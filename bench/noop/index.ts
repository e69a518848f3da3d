// The baseline for capture throughput: a Worker that reads the body and answers 202, nothing else.
export default {
  async fetch(request: Request): Promise<Response> {
    await request.text();
    return Response.json({ accepted: 0, rejected: [] }, { status: 202 });
  },
};
