"""Check posts against the policy: detectors once per post, then each selected rule."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from itertools import islice

from socialguard.rules.analysis import Analysis
from socialguard.rules.catalogue import Rule, all_rules
from socialguard.rules.compiled import CompiledContext
from socialguard.rules.detectors.classifiers import Cascade, Scores, runtime_available
from socialguard.rules.detectors.policy_model import PolicyModelDetector, shared_encoder
from socialguard.rules.detectors.spelling import KIND, SpellingDetector
from socialguard.rules.model import Finding, PolicyContext, Post, Report, Severity
from socialguard.rules.pack import Pack, load_pack
from socialguard.rules.text import normalise, visible

# The threads that run the work detectors defer (the policy encoder's readings): one pool per
# process, shared by its engines as the encoder itself is, so that rebuilding an engine (a register
# change, a pack preview) starts no threads of its own.
_readers: ThreadPoolExecutor | None = None
_readers_pid = 0
_readers_lock = threading.Lock()


def _reader_threads() -> ThreadPoolExecutor:
    global _readers, _readers_pid
    with _readers_lock:
        # A forked child inherits the pool object but not its threads: it starts its own.
        if _readers is None or _readers_pid != os.getpid():
            workers = min(4, os.cpu_count() or 1)
            _readers = ThreadPoolExecutor(workers, thread_name_prefix="socialguard-readers")
            _readers_pid = os.getpid()
        return _readers


def context_from_pack(pack: Pack, **extra: object) -> PolicyContext:
    context = PolicyContext(
        organisation_names=list(pack.organisation_names),
        organisation_handles=list(pack.organisation_handles),
        allowed_domains=list(pack.allowed_domains),
        confidential_terms=list(pack.confidential_terms),
        approved_platforms=list(pack.approved_platforms),
        disclaimer=pack.disclaimer,
    )
    for key, value in extra.items():
        setattr(context, key, value)
    return context


class Engine:
    """Compiled once for a context and pack; then `check` and `check_many` as often as needed."""

    def __init__(
        self,
        context: PolicyContext | None = None,
        pack: Pack | None = None,
        *,
        classifiers: bool | Cascade = True,
    ) -> None:
        self.pack = pack or load_pack()
        self.context = context if context is not None else context_from_pack(self.pack)
        catalogue = all_rules()
        self.rules: list[Rule] = [r for r in catalogue.values() if self.pack.is_selected(r.code)]
        self.severity = {r.code: self.pack.severity.get(r.code, r.severity) for r in self.rules}
        self._plan = [(r, frozenset(r.needs), self.severity[r.code]) for r in self.rules]
        self._fallbacks = frozenset(r.code for r in self.rules if r.defers_to_category)
        # The scores each selected rule declares, with the hits it needs before it runs at all:
        # a post is scored only for the rules that will read the scores (see scores_needed).
        self._score_plan = [
            (frozenset(r.needs), frozenset(r.scores_unless), frozenset(r.scores))
            for r in self.rules
            if r.scores
        ]
        # Whether a post's scores depend on what the deferred work (the policy encoder) adds: if no
        # scored rule reads a learned hit, a batch's encoder readings and scores can run side by side.
        self._scores_read_learned = any(
            kind.startswith("ml:") for needs, unless, _ in self._score_plan for kind in needs | unless
        )
        # The organisation's clause number and text each rule's findings cite (pack [clauses]).
        self.clauses = {r.code: self.pack.clause_for(r.code, r.clause) for r in self.rules}
        lexicons = {**self.pack.lexicons, "american": list(self.pack.spellings)}
        unread = [t for terms in (*self.pack.removed.values(), *self.pack.allow.values()) for t in terms]
        self.compiled = CompiledContext(self.context, lexicons, allow=self.pack.allow, unread=unread)
        self.compiled.spellings = self.pack.spellings
        if not any(KIND in r.needs for r in self.rules):
            # The dictionary costs a tenth of a second to load and each post a few lookups a word:
            # only where a selected rule reads unknown words.
            self.compiled.detectors = [
                d for d in self.compiled.detectors if not isinstance(d, SpellingDetector)
            ]
        uses_classifier = any(r.uses_classifier for r in self.rules)
        if isinstance(classifiers, Cascade):
            self.cascade: Cascade | None = classifiers if uses_classifier else None
        else:
            wanted = bool(classifiers) and uses_classifier
            self.cascade = Cascade() if wanted and runtime_available() else None
        # The learned rules' second reader is a classifier too: on with the classifiers, off without,
        # and not loaded for a pack that selects no rule reading the learned hits.
        reads_learned = any(need.startswith("ml:") for r in self.rules for need in r.needs)
        encoder = shared_encoder() if classifiers and reads_learned and runtime_available() else None
        if encoder is not None:
            for detector in self.compiled.detectors:
                if isinstance(detector, PolicyModelDetector):
                    detector.use_encoder(encoder)
        self._scorer: ThreadPoolExecutor | None = None
        self._scorer_pid = 0

    def analyse(self, post: Post, *, finish: bool = True) -> Analysis:
        """What the detectors find in the post. `finish=False` leaves the work they defer (the
        policy encoder's reading) in `analysis.later`, for check_many's classifier thread."""
        (analysis,) = self.analyse_many([post])
        if finish:
            analysis.finish()
        return analysis

    def analyse_many(self, posts: Sequence[Post]) -> list[Analysis]:
        """`analyse(post, finish=False)` for each post; a detector that can (`detect_many`: the
        policy model) reads the batch at once. Each post still meets the detectors in order."""
        analyses = [self._analysis(post) for post in posts]
        for detector in self.compiled.detectors:
            many = getattr(detector, "detect_many", None)
            if many is not None:
                many(analyses)
            else:
                for analysis in analyses:
                    detector.detect(analysis)
        return analyses

    @staticmethod
    def _analysis(post: Post) -> Analysis:
        text, positions = visible(post.text)
        if positions is None:
            return Analysis(post=post, text=normalise(text))
        # Read without its invisible characters (every detector, rule and model alike); reported
        # against the post as written (_evaluate).
        return Analysis(
            post=replace(post, text=text), text=normalise(text), written=post, positions=positions
        )

    def scores_needed(self, analysis: Analysis) -> frozenset[str]:
        """The scores the selected rules that will run on this post declare they read.

        Derived from the rules' declarations (Rule.scores and Rule.needs), never from a list of
        signals kept by hand: a rule that reads hate scores on every post gets them on every post,
        however sure the fast stage is that the post is not offensive. A rule that decides without
        its scores when the post has one of its `scores_unless` hits does not ask for them then.
        """
        hits = analysis.hits
        needed: set[str] = set()
        for needs, unless, scores in self._score_plan:
            if not (needs and needs.isdisjoint(hits)) and unless.isdisjoint(hits):
                needed |= scores
        return frozenset(needed)

    def _score_one(self, analysis: Analysis) -> Scores | None:
        if self.cascade is None or not analysis.post.text.strip():
            return None
        needed = self.scores_needed(analysis)
        if not needed:
            return None  # no rule that runs on this post reads a score
        return self.cascade.scores([analysis.post.text], [needed], solo=True)[0]

    def _evaluate(self, analysis: Analysis) -> Report:
        findings: list[Finding] = []
        hits = analysis.hits
        for r, needs, severity in self._plan:
            if needs and needs.isdisjoint(hits):
                continue  # none of what the rule reads was found
            for flag in r.check(analysis, self.compiled):
                findings.append(
                    Finding(
                        rule=r.code,
                        name=r.name,
                        category=r.category,
                        clause=self.clauses[r.code][0],
                        severity=severity,
                        message=flag.message,
                        start=flag.start,
                        end=flag.end,
                        fix=flag.fix,
                        clause_text=self.clauses[r.code][1],
                    )
                )
        if self._fallbacks and findings:
            findings = self._without_repeats(findings)
        if analysis.written is not None:
            findings = [
                replace(f, start=s, end=e)
                for f in findings
                for s, e in [analysis.span_as_written(f.start, f.end)]
            ]
        findings.sort(key=lambda f: (f.start, f.end, f.rule))
        return Report(post=analysis.written or analysis.post, findings=tuple(findings))

    def _without_repeats(self, findings: list[Finding]) -> list[Finding]:
        """Drop a fallback rule's findings (the learned rules) where another rule of its category
        already flagged the post at review or block: the pattern rule's finding is the more specific."""
        covered = {
            f.category
            for f in findings
            if f.rule not in self._fallbacks and f.severity in (Severity.BLOCK, Severity.REVIEW)
        }
        return [f for f in findings if not (f.rule in self._fallbacks and f.category in covered)]

    def warm_up(self) -> None:
        """Pay now, once, for what would otherwise slow the first posts checked: the transformer's
        loading and first run, and the data detectors read on first use (the suffix list, the
        learned model's examples). A server calls it before its first check; findings are unchanged."""
        for detector in self.compiled.detectors:
            warm = getattr(detector, "warm_up", None)
            if warm is not None:
                warm()
        if self.cascade is not None:
            self.cascade.warm_up()

    def check(self, post: Post) -> Report:
        analysis = self.analyse(post, finish=False)
        cascade = self.cascade
        beside = bool(analysis.later) and cascade is not None and not self._scores_read_learned
        read = analysis.post.text  # without invisible characters (_analysis)
        needed = self.scores_needed(analysis) if beside and read.strip() else frozenset()
        if cascade is not None and needed:
            # Both the encoder and the transformer have work for this post: side by side, a core
            # each (each gains little from a second core on a post this short).
            reading = _reader_threads().submit(analysis.finish)
            analysis.set_scores(cascade.scores([read], [needed])[0])
            reading.result()
        else:
            analysis.finish(solo=True)
            analysis.score_source = lambda: self._score_one(analysis)
        return self._evaluate(analysis)

    def check_many(self, posts: Iterable[Post], batch_size: int = 1000) -> Iterator[Report]:
        """Check posts in batches: classifier work is shared across each batch. Streams results.

        A thousand a batch: `socialguard check` on 2,000 tweets took 1.95 s with batches of 1,000,
        2.05 with 512 and 2.12 with 256 (session 18; fewer hand-overs between the threads, and
        the transformer loads while the first batch's detectors run).

        With more than one batch, a batch's classifier scores are computed on a background thread
        while the next batch's detectors run here (the transformer releases the GIL), so the two
        halves of the work overlap. Every post is still scored on its own (see Cascade.scores):
        its findings are those of `check`, whatever the batches.
        """
        iterator = iter(posts)
        pending: tuple[list[Analysis], Future[None] | None] | None = None
        while True:
            chunk = list(islice(iterator, batch_size))
            if pending is None and len(chunk) == batch_size and self.cascade is not None:
                # A file of posts: load the transformer while the first batch's detectors run.
                self._scoring_thread().submit(self.cascade.load)
            if chunk:
                analyses = self.analyse_many(chunk)
                if pending is None and len(chunk) < batch_size:
                    self._score_batch(analyses)  # one short batch: nothing to overlap with
                    job: Future[None] | None = None
                else:
                    job = self._scoring_thread().submit(self._score_batch, analyses)
            if pending is not None:
                done, running = pending
                if running is not None:
                    running.result()
                for a in done:
                    yield self._evaluate(a)
            if not chunk:
                return
            pending = (analyses, job)

    def _score_batch(self, analyses: list[Analysis]) -> None:
        # The deferred work (the policy encoder, a few ms a post it reads) runs on reader threads,
        # one per core, and, where the scores do not depend on it, beside the cascade's transformer;
        # both release the GIL while they run, so a batch's classifier work uses every core.
        deferred = [a for a in analyses if a.later]
        if self._scores_read_learned:  # a post's scores may depend on its readings: read first
            for job in [_reader_threads().submit(a.finish) for a in deferred]:
                job.result()
            deferred = []
        needed = [
            self.scores_needed(a) if self.cascade is not None and a.post.text.strip() else frozenset()
            for a in analyses
        ]  # before the readers start: they add hits while the cascade runs
        reading = [_reader_threads().submit(a.finish) for a in deferred]
        if self.cascade is not None:
            scored = [(a, n) for a, n in zip(analyses, needed, strict=True) if n]
            scores = self.cascade.scores([a.post.text for a, _ in scored], [n for _, n in scored])
            for (a, _), s in zip(scored, scores, strict=True):
                a.set_scores(s)
        for a, n in zip(analyses, needed, strict=True):
            if not n:
                a.set_scores(None)
        for job in reading:
            job.result()

    def _scoring_thread(self) -> ThreadPoolExecutor:
        # A forked child inherits the executor but not its thread: it starts its own.
        if self._scorer is None or self._scorer_pid != os.getpid():
            self._scorer = ThreadPoolExecutor(1, thread_name_prefix="socialguard-scores")
            self._scorer_pid = os.getpid()
        return self._scorer


def check(post: Post, context: PolicyContext | None = None, *, classifiers: bool = True) -> Report:
    """Check one post (building an engine each call: use Engine for many posts)."""
    return Engine(context, classifiers=classifiers).check(post)


def check_many(
    posts: Sequence[Post], context: PolicyContext | None = None, *, classifiers: bool = True
) -> list[Report]:
    return list(Engine(context, classifiers=classifiers).check_many(posts))


__all__ = ["Engine", "Severity", "check", "check_many", "context_from_pack"]
