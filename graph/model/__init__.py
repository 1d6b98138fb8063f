"""The model: entity and relation records, closed vocabularies, ids, the ontology, units and errors."""
