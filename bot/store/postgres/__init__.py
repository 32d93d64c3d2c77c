"""The PostgreSQL store (store.url: postgresql://…): the same protocols as the SQLite store, for many processes."""
