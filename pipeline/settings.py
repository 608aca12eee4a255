"""All knobs of a run in one pydantic model, passed in; no module-level mutable state."""
from __future__ import annotations

import hashlib
import json

from pydantic import BaseModel, ConfigDict, Field


class SegmentOptions(BaseModel):
    """Knobs of the segment stage."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    heading_model: bool = Field(True, description="let the shipped heading model (trained from publisher XML) "
                                                  "overrule the heading rules; off = rules alone")
    # chosen by document-grouped cross-validation on the dev split (scripts/train_heading_model.py)
    heading_veto: float = Field(0.5, gt=0, lt=1, description="a line the rules call a heading stays one unless "
                                                           "the model's probability is below this")
    heading_promote: float = Field(0.5, gt=0, lt=1, description="a line the rules reject becomes a heading when "
                                                              "the model's probability reaches this")


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # limits (shared by run, batch and the bad-input checks)
    max_pages: int = Field(500, ge=1)
    max_file_mb: float = Field(200.0, gt=0)
    time_limit_s: float = Field(300.0, gt=0)
    max_drawings_per_page: int = Field(5000, ge=0, description="beyond this a page's vector art is ignored")
    # a resource bound, not an output knob: left out of config_dict so that changing it redoes nothing
    max_memory_mb: float = Field(4096.0, ge=256, exclude=True,
                                 description="address-space bound of the process that reads one file (MiB)")
    password: str | None = Field(None, exclude=True)  # never written to manifests
    ocr: bool = False
    ocr_language: str = "eng"

    # layout
    header_footer_min_pages: int = Field(3, ge=2, description="repeats needed to call a line page furniture")

    # segment
    segment: SegmentOptions = SegmentOptions()

    # tag
    ner: bool = True
    ner_model: str = Field("bundled", description="'bundled' (CHEMICAL, DISEASE), 'bundled-full' (+ GENE, CELL), "
                                                  "'lexicon', or an installed spaCy package / path")
    lexicon: bool = True

    def config_dict(self) -> dict:
        return self.model_dump(mode="json", exclude={"password"})

    def config_hash(self) -> str:
        blob = json.dumps(self.config_dict(), sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:16]
