"""The C engine (engine.c): build it with the machine's C compiler, load it with ctypes, feed it the rules.

The library has no Python API, so it needs no Python headers: any `cc` builds it in about a second. It
is built on first use (or by `python -m voc.tagging.native build`, which `make` runs) into this folder
when writable, else into ``$XDG_CACHE_HOME/voc-etl``; the file name carries a hash of the source, so an
edited engine.c is rebuilt and a stale library is never loaded. Where no compiler exists the tagger
falls back to the reference matcher (match.py), which gives the same results, only slower.

    VOC_TAGGER_ENGINE=auto|native|python   auto (default): native when it builds, else python
    CC=...                                 the compiler to use (default: cc, gcc or clang on PATH)
"""
from __future__ import annotations

import ctypes
import hashlib
import logging
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from array import array
from functools import lru_cache
from pathlib import Path

import orjson

from ..normalize import _tables as normalisation_tables
from ..redact import PII_TYPES, PLACEHOLDERS, REFERENCE_LOOKBACK, REFERENCE_WORDS
from ..rules import INTENS_WINDOW, NEG_WINDOW, SENT, SENT_NEG_WINDOW, TAGQ_WINDOW, TRIG, RuleSet
from ..sentiment import LABELS

log = logging.getLogger(__name__)

SOURCE = Path(__file__).with_name("engine.c")
ABI_VERSION = 9
CFLAGS = ["-O2", "-shared", "-fPIC", "-ffp-contract=off", "-std=c99"]
if sys.platform == "darwin":
    CFLAGS.append("-Wl,-undefined,dynamic_lookup")  # the Python C API resolves against the loading interpreter
SIDES = {"customer": 0, "agent": 1, "any": 2}


class EngineUnavailable(RuntimeError):
    """The C engine could not be built or loaded (the message says why)."""


# -- build + load ----------------------------------------------------------------------------------
def _compiler() -> str | None:
    for cand in filter(None, (os.environ.get("CC"), "cc", "gcc", "clang")):
        path = shutil.which(cand.split()[0])
        if path:
            return cand
    return None


def _library_name() -> str:
    digest = hashlib.sha256(SOURCE.read_bytes() + " ".join(CFLAGS).encode()).hexdigest()[:12]
    return f"libvocengine-{platform.machine()}-{digest}.so"


def _candidates() -> list[Path]:
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "voc-etl"
    return [SOURCE.parent / "_build", cache]


def build(force: bool = False) -> Path:
    """Compile engine.c (unless an up-to-date library exists); returns the library's path."""
    name = _library_name()
    for folder in _candidates():
        if (folder / name).exists() and not force:
            return folder / name
    cc = _compiler()
    if cc is None:
        raise EngineUnavailable("no C compiler (cc, gcc or clang) on PATH; set CC or install one")
    errors = []
    for folder in _candidates():
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".build-", suffix=".so", dir=folder)
            os.close(fd)
        except OSError as exc:
            errors.append(f"{folder}: {exc}")
            continue
        cmd = [*cc.split(), *CFLAGS, "-o", tmp, str(SOURCE), "-lm"]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            os.unlink(tmp)
            raise EngineUnavailable(f"{' '.join(cmd)} failed:\n{proc.stderr.strip()}")
        os.replace(tmp, folder / name)  # atomic: concurrent builders never load a half-written file
        return folder / name
    raise EngineUnavailable("no writable folder for the engine library: " + "; ".join(errors))


@lru_cache(maxsize=1)
def library() -> ctypes.PyDLL:
    # PyDLL: the engine builds Python objects (TagResult tuples) through the C API, so it runs holding the GIL
    lib = ctypes.PyDLL(str(build()))
    if lib.voc_abi_version() != ABI_VERSION:
        raise EngineUnavailable(f"engine ABI {lib.voc_abi_version()} != {ABI_VERSION}; rebuild with --force")
    lib.voc_tag_objects.restype = ctypes.py_object
    lib.voc_tag_objects.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int32, ctypes.c_char_p,
                                    ctypes.c_void_p, ctypes.c_char_p, ctypes.py_object]
    lib.voc_tag_jsonl.restype = ctypes.c_int32
    lib.voc_tag_jsonl.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int32, ctypes.c_char_p, ctypes.c_void_p,
                                  ctypes.c_char_p, ctypes.c_char_p, ctypes.c_void_p, ctypes.c_void_p,
                                  ctypes.c_int64, ctypes.c_void_p, ctypes.c_void_p]
    return lib


def wanted() -> str:
    choice = os.environ.get("VOC_TAGGER_ENGINE", "auto").strip().lower() or "auto"
    if choice not in ("auto", "native", "python"):
        raise ValueError(f"VOC_TAGGER_ENGINE must be auto, native or python, got {choice!r}")
    return choice


# -- tables ----------------------------------------------------------------------------------------
_P = ctypes.c_void_p
_I = ctypes.c_int32
_TABLE_FIELDS = [
    ("root_next", _P), ("child_start", _P), ("child_count", _P), ("edge_cp", _P), ("edge_next", _P),
    ("word_len", _P), ("role_start", _P), ("role_count", _P), ("role_kind", _P), ("role_a", _P),
    ("role_b", _P), ("role_c", _P), ("role_w", _P),
    ("g_root_next", _P), ("g_child_start", _P), ("g_child_count", _P), ("g_edge_cp", _P), ("g_edge_next", _P),
    ("g_word_len", _P), ("g_list_start", _P), ("g_list_count", _P), ("g_list", _P), ("n_groups", _I),
    ("rule_code", _P), ("rule_side", _P), ("rule_question", _P), ("rule_negation", _P), ("rule_quoted", _P),
    ("rule_reported", _P), ("rule_needs_negative", _P), ("rule_negative", _P), ("rule_exclaim", _P), ("rule_cond_start", _P),
    ("rule_cond_count", _P), ("rule_implied_name", _P), ("cond_group", _P), ("cond_scope", _P), ("cond_need", _P),
    ("exclaim_rules", _P), ("n_exclaim", _I),
    ("polarity", _P), ("implies_start", _P), ("implies_count", _P), ("implies", _P), ("n_codes", _I),
    ("norm_map", _P), ("reference_words", _P), ("n_reference_chars", _I), ("reference_lookback", _I),
    ("neg_window", _I), ("sent_neg_window", _I), ("intens_window", _I), ("tagq_window", _I),
]


class _Tables(ctypes.Structure):
    _fields_ = _TABLE_FIELDS


class _PyNames(ctypes.Structure):
    _fields_ = [(name, ctypes.py_object) for name in (
        "codes", "names", "labels", "pii_types", "evidence_type", "pii_type", "result_type", "version", "redact")]


class _Strings(ctypes.Structure):
    _fields_ = [("bytes", _P), ("offs", _P)]


class _JsonTables(ctypes.Structure):
    _fields_ = [("code", _Strings), ("name", _Strings), ("label", _Strings), ("pii_type", _Strings),
                ("placeholder", _Strings)]


def _trie(words: list[str]) -> tuple[list[dict[int, int]], dict[str, int]]:
    """States as child maps (state 0 is the root) and the state where each word ends."""
    states: list[dict[int, int]] = [{}]
    ends: dict[str, int] = {}
    for w in words:
        st = 0
        for ch in w:
            nxt = states[st].get(ord(ch))
            if nxt is None:
                nxt = states[st][ord(ch)] = len(states)
                states.append({})
            st = nxt
        ends[w] = st
    return states, ends


def _flatten(states: list[dict[int, int]]) -> dict[str, array]:
    root = array("i", [-1]) * 0x10000
    for cp, nxt in states[0].items():
        if cp < 0x10000:
            root[cp] = nxt
    start, count, edge_cp, edge_next = array("i"), array("i"), array("I"), array("i")
    for children in states:
        start.append(len(edge_cp))
        count.append(len(children))
        for cp in sorted(children):
            edge_cp.append(cp)
            edge_next.append(children[cp])
    return {"root_next": root, "child_start": start, "child_count": count, "edge_cp": edge_cp,
            "edge_next": edge_next}


class NativeEngine:
    """The C engine loaded with one RuleSet's tables; analyse() takes a batch of utterances."""

    def __init__(self, rs: RuleSet):
        self.lib = library()
        self._keep: list = []  # arrays the C side points into
        fields: dict[str, object] = {}

        words = list(rs.words)
        states, ends = _trie(words)
        for k, v in _flatten(states).items():
            fields[k] = v
        word_len = array("i", [0]) * len(states)
        role_start = array("i", [0]) * (2 * len(states))
        role_count = array("i", [0]) * (2 * len(states))
        kind, ra, rb, rc, rw = array("i"), array("i"), array("i"), array("i"), array("d")
        for w in words:
            st = ends[w]
            word_len[st] = len(w)
            for side, roles in enumerate(rs.words[w]):
                role_start[2 * st + side] = len(kind)
                role_count[2 * st + side] = len(roles)
                for k, arg in roles:
                    kind.append(k)
                    if k == TRIG:
                        ri, off, size = arg
                        ra.append(ri), rb.append(off), rc.append(size), rw.append(0.0)
                    elif k == SENT:
                        ra.append(0), rb.append(0), rc.append(0), rw.append(float(arg))
                    else:
                        ra.append(int(arg)), rb.append(0), rc.append(0), rw.append(0.0)
        fields.update(word_len=word_len, role_start=role_start, role_count=role_count, role_kind=kind,
                      role_a=ra, role_b=rb, role_c=rc, role_w=rw)

        membership: dict[str, list[int]] = {}
        for gi, group in enumerate(rs.groups):
            for w in group:
                membership.setdefault(w, []).append(gi)
        for w in rs.reported:
            membership.setdefault(w, []).append(len(rs.groups))
        gstates, gends = _trie(list(membership))
        for k, v in _flatten(gstates).items():
            fields["g_" + k] = v
        g_len = array("i", [0]) * len(gstates)
        g_start = array("i", [0]) * len(gstates)
        g_count = array("i", [0]) * len(gstates)
        g_list = array("i")
        for w, gis in membership.items():
            st = gends[w]
            g_len[st], g_start[st], g_count[st] = len(w), len(g_list), len(gis)
            g_list.extend(gis)
        fields.update(g_word_len=g_len, g_list_start=g_start, g_list_count=g_count, g_list=g_list,
                      n_groups=len(rs.groups))

        rules = rs.rules
        cond_group, cond_scope, cond_need, cond_start, cond_count = (array("i") for _ in range(5))
        for r in rules:
            cond_start.append(len(cond_group))
            cond_count.append(len(r.conds))
            for gi, scope, need in r.conds:
                cond_group.append(gi), cond_scope.append(scope), cond_need.append(int(need))
        fields.update(
            rule_code=array("i", [rs.code_index[r.code] for r in rules]),
            rule_side=array("i", [SIDES[r.speaker] for r in rules]),
            rule_question=array("i", [r.question for r in rules]),
            rule_negation=array("i", [r.negation for r in rules]),
            rule_quoted=array("i", [r.quoted for r in rules]),
            rule_reported=array("i", [r.reported for r in rules]),
            rule_needs_negative=array("i", [int(r.needs_negative) for r in rules]),
            rule_negative=array("i", [int(r.negative) for r in rules]),
            rule_exclaim=array("i", [r.exclaim for r in rules]),
            rule_cond_start=cond_start, rule_cond_count=cond_count, rule_implied_name=array("i", rs.implied_name),
            cond_group=cond_group, cond_scope=cond_scope, cond_need=cond_need,
            exclaim_rules=array("i", rs.exclaim_rules), n_exclaim=len(rs.exclaim_rules),
        )
        imp_start, imp_count, implies = array("i"), array("i"), array("i")
        for code in rs.codes:
            targets = rs.implies.get(code, ())
            imp_start.append(len(implies))
            imp_count.append(len(targets))
            implies.extend(rs.code_index[c] for c in targets)
        fields.update(polarity=array("d", [rs.polarity[c] for c in rs.codes]), implies_start=imp_start,
                      implies_count=imp_count, implies=implies, n_codes=len(rs.codes))

        lookup, _ = normalisation_tables()
        fields["norm_map"] = array("I", map(ord, lookup))
        ref = array("I")
        for word in REFERENCE_WORDS:
            ref.extend(map(ord, word))
            ref.append(0)
        fields.update(reference_words=ref, n_reference_chars=len(ref), reference_lookback=REFERENCE_LOOKBACK)
        fields.update(neg_window=NEG_WINDOW, sent_neg_window=SENT_NEG_WINDOW, intens_window=INTENS_WINDOW,
                      tagq_window=TAGQ_WINDOW)

        values = {}
        for name, ctype in _TABLE_FIELDS:
            v = fields[name]
            if ctype is _P:
                buf = v if isinstance(v, (array, bytearray)) else array("i", v)
                if len(buf) == 0:
                    buf = array("i", [0])  # never a NULL pointer, even for an empty table
                self._keep.append(buf)
                values[name] = _address(buf)
            else:
                values[name] = int(v)
        self._tables = _Tables(**values)

        # JSON string literals for `voc tag` lines, exactly as orjson writes them
        def strings(items: list[bytes]) -> _Strings:
            data = bytearray(b"".join(items) or b"\0")
            offs = array("q", [0])
            for item in items:
                offs.append(offs[-1] + len(item))
            self._keep += [data, offs]
            return _Strings(_address(data), _address(offs))

        from ..redact import apply as apply_redaction
        from ..result import Evidence, PiiSpan, TagResult

        self._py = _PyNames(list(rs.codes), list(rs.evidence_names), list(LABELS), list(PII_TYPES), Evidence,
                            PiiSpan, TagResult, rs.taxonomy.version, apply_redaction)
        self._json = _JsonTables(
            strings([orjson.dumps(c) for c in rs.codes]),
            strings([orjson.dumps(n) for n in rs.evidence_names]),
            strings([orjson.dumps(label) for label in LABELS]),
            strings([orjson.dumps(kind) for kind in PII_TYPES]),
            strings([PLACEHOLDERS[kind].encode() for kind in PII_TYPES]),
        )

    def tag_objects(self, texts: list[str], agents: bytes) -> list:
        """TagResult for each text (agents[i]: 1 if text i is an agent's), built by the engine itself."""
        buf, lens = _encoded(texts)
        return self.lib.voc_tag_objects(ctypes.byref(self._tables), ctypes.byref(self._py), len(texts), buf,
                                        _address(lens), agents, texts)

    def tag_jsonl(self, texts: list[str], agents: bytes, ids: list[bytes]) -> list[bytes]:
        """The `voc tag` output line (newline included) of each text; ids are already JSON."""
        n = len(texts)
        buf, lens = _encoded(texts)
        id_bytes = b"".join(ids)
        id_offs = array("q", [0])
        for i in ids:
            id_offs.append(id_offs[-1] + len(i))
        lines: list[bytes] = []
        capacity = max(1 << 16, 4 * len(buf) + 512 * n)
        done = offset = 0
        while done < n:
            out = ctypes.create_string_buffer(capacity)
            ends = (ctypes.c_int64 * (n - done))()
            used = ctypes.c_int64(0)
            got = self.lib.voc_tag_jsonl(
                ctypes.byref(self._tables), ctypes.byref(self._json), n - done, buf[offset:] if offset else buf,
                _address(lens) + 4 * done, agents[done:], id_bytes, _address(id_offs) + 8 * done, out, capacity,
                ends, ctypes.byref(used))
            if got < 0:
                raise MemoryError("the tagger's C engine ran out of memory")
            if got == 0:
                capacity *= 4  # one line longer than the whole buffer
                continue
            raw = out.raw
            start = 0
            for end in ends[:got]:
                lines.append(raw[start:end])
                start = end
            done += got
            offset += used.value
        return lines


def _encoded(texts: list[str]) -> tuple[bytes, array]:
    """The texts' UTF-8 back to back (lone surrogates kept) and each one's length in code points."""
    return "".join(texts).encode("utf-8", "surrogatepass"), array("i", map(len, texts))


def _address(buf) -> int:
    if isinstance(buf, bytearray):
        return ctypes.addressof(ctypes.c_char.from_buffer(buf))
    return buf.buffer_info()[0]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] != ["build"]:
        print("usage: python -m voc.tagging.native build [--force]", file=sys.stderr)
        return 2
    try:
        path = build(force="--force" in args)
        library()
    except EngineUnavailable as exc:
        print(f"voc tagger: C engine not built ({exc}); the pure-Python reference path will be used",
              file=sys.stderr)
        return 0 if "--strict" not in args else 1
    print(f"voc tagger: C engine ready at {path}")
    return 0

