"""Chinese VoC tagger: taxonomy rules, sentiment and PII redaction over one Aho-Corasick pass.

    from voc.tagging import Tagger
    r = Tagger.load().tag("不需要，谢谢", speaker="customer")
"""
from .result import Evidence, PiiSpan, TagResult
from .tagger import Tagger

__all__ = ["Tagger", "TagResult", "PiiSpan", "Evidence"]
