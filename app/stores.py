"""Opening the configured store. The only place that chooses between the two backends."""

from __future__ import annotations

from app.settings import Backend, Settings
from graph.store import GraphStore

__all__ = ["open_store"]


def open_store(settings: Settings) -> GraphStore:
    if settings.backend is Backend.NEO4J:
        from graph.neo4j import Neo4jStore  # imported lazily: the driver is only needed here

        return Neo4jStore(
            settings.neo4j_uri,
            settings.neo4j_user,
            settings.neo4j_password.get_secret_value(),
            database=settings.neo4j_database,
            timeout_s=settings.neo4j_timeout_s,
        )
    from graph.embedded import EmbeddedStore

    return EmbeddedStore(settings.db_path)
