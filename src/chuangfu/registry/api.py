"""Registry API (staff only). Endpoints are added with the registry pages."""
from ninja import Router

router = Router(tags=["registry"])
