"""Every write of the ecosystem app, one module per entity; import the module you need."""
