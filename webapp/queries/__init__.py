"""The read side: one module per domain, shared by pages, the API and exports. Reading never
writes."""
