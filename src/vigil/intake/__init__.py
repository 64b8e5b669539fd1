"""Real-name registration intake: sector schemas, one validation path for the API, files and
the stream, idempotent bulk ingest with a transactional outbox, and business compliance."""
