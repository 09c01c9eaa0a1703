"""The PostgreSQL backend (DATABASE_URL): store.repository.Store's contract, shared by processes."""
