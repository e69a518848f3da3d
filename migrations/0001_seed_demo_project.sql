-- The local `demo` project (docs/architecture.md, local defaults): any origin, read token `demo-read-token`.
INSERT OR IGNORE INTO projects (id, name, allowed_origins, read_token_hash, whatsapp_accounts)
VALUES ('demo', 'Demo tax app', '["*"]', 'd2771ba6a5ce166531a002e101dc6f4259fe1926281ac28f9bdaedf21e381866', '["meta:112233445566778"]');
