"""A dependency web dense enough to reach every result cap: the worst case of the query costs."""

from __future__ import annotations

from pathlib import Path

from graph.embedded import EmbeddedStore
from graph.model.records import Batch, Document, Entity, Evidence, Relation


def dense_web(path: Path, width: int = 60, layers: int = 6) -> EmbeddedStore:
    """A product web: each layer depends on every product of the layer below (width² relations a
    layer), the shape that makes neighbourhoods and path sets explode."""
    text = "A dense synthetic web of dependencies."
    document = Document(text=text)
    evidence = [Evidence(document_id=document.id, quote="dense", start=2, end=7)]
    entities = [Entity(id="commodity:root", names={"en": "root"}, evidence=evidence)]
    relations = []
    below = ["commodity:root"]
    for layer in range(layers):
        here = [f"product:p-{layer}-{i}" for i in range(width)]
        entities += [Entity(id=p, names={"en": p.split(":")[1]}, evidence=evidence) for p in here]
        relations += [Relation(source=p, type="DEPENDS_ON", target=q, share=0.5, evidence=evidence) for p in here for q in below]
        below = here
    store = EmbeddedStore(path)
    store.upsert(Batch(documents=[document], entities=entities, relations=relations))
    return store
