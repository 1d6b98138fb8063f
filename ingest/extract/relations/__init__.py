"""Stage 5, relations: the relation rules, one module per family of relations (see ``stage.py``)."""

from ingest.extract.relations.stage import RelationRules, relate

__all__ = ["RelationRules", "relate"]
