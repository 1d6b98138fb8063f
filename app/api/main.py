"""All routers, gathered under their prefixes."""

from fastapi import APIRouter

from app.api.routes import dependencies, documents, entities, explorer, measures, system

api_router = APIRouter()
api_router.include_router(system.router)
for module in (dependencies, measures, entities, documents):
    api_router.include_router(module.router, prefix="/v1")
api_router.include_router(explorer.router)
