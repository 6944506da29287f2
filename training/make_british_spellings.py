"""Write src/socialguard/rules/models/british-spellings.json: the British forms of the American
words in pyspellchecker's English list (colour, organisation, programme, centre, travelled), made by
the patterns in rules/detectors/spelling.py. Run it after changing those patterns or upgrading
pyspellchecker; tests/rules/detectors/test_spelling.py fails while the file is out of date.

    PYTHONPATH=src .venv/bin/python training/make_british_spellings.py
"""

from __future__ import annotations

import json

from socialguard.rules.detectors.spelling import BRITISH_FILE, british_forms, english_words


def main() -> None:
    pairs = british_forms(english_words())
    BRITISH_FILE.write_text(json.dumps(pairs, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{BRITISH_FILE}: {len(pairs)} British forms")


if __name__ == "__main__":
    main()
