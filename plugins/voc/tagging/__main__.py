"""`python -m voc.tagging` = `voc tag`: JSON lines on stdin -> tagged JSON lines on stdout."""
import gc
import sys

from .jsonl import run_jsonl
from .tagger import Tagger


def main() -> int:
    tagger = Tagger.load()
    gc.freeze()  # the automaton and rule tables live for the whole run: keep them out of GC scans
    run_jsonl(sys.stdin.buffer, sys.stdout.buffer, tagger)
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
