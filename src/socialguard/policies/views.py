from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from socialguard import csvfiles
from socialguard.audit.context import current_ip
from socialguard.identity.access import current_user, requires, signed_in
from socialguard.identity.permissions import can
from socialguard.ids import parse_id
from socialguard.people.services import ImportFailed
from socialguard.policies import access, checked_posts, reminders, selectors, services, transitions
from socialguard.policies.forms import (
    CommentForm,
    CompletionForm,
    CourseForm,
    CsvImportForm,
    DeclarationForm,
    PolicyImportForm,
    PublishForm,
    ReconfirmForm,
)
from socialguard.policies.legislation import load_register
from socialguard.policies.models import (
    Clause,
    Course,
    Declaration,
    PolicyVersion,
    TrainingCompletion,
    VersionStatus,
)
from socialguard.policies.services import PolicyImportError, add_months
from socialguard.ui import charts
from socialguard.ui.errors import add_service_errors, form_messages, service_messages

PAGE_SIZE = 50  # rows per page of a list that grows with the staff
GAPS_SHOWN = 12  # per course on the training page; the rest a page at a time


def _visible_version(request: HttpRequest, pk: int) -> PolicyVersion:
    # Drafts are for the people reviewing them (access.py): 404 to anyone else, as in the API.
    return get_object_or_404(access.versions_visible(request.user).select_related("document"), pk=pk)


# --- The policy and its versions -------------------------------------------------------------


def _visible_before(request: HttpRequest, version: PolicyVersion) -> PolicyVersion | None:
    """The version before `version` that this person may read: a draft left between two issued
    versions is for its reviewers, so staff compare a published version with the one issued before."""
    visible = access.versions_visible(request.user).filter(document=version.document_id)
    return visible.filter(number__lt=version.number).order_by("-number").first()


@requires("policy.view")
def current(request: HttpRequest) -> HttpResponse:
    version = selectors.current_version()
    if version is None:
        return render(request, "policies/none.html", {"can_manage": can(request.user, "policy.manage")})
    return _version_page(request, version)


@requires("policy.view")
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _version_page(request, _visible_version(request, pk))


def _version_page(request: HttpRequest, version: PolicyVersion) -> HttpResponse:
    staff = selectors.staff_for_user(request.user)
    owed = selectors.declaration_owed(staff) if version.status == VersionStatus.PUBLISHED else None
    declared = Declaration.objects.filter(staff=staff, version=version).first() if staff else None
    return render(
        request,
        "policies/version.html",
        {
            "version": version,
            "clauses": version.clauses.all(),
            "review": selectors.review_state(version.document),
            "owed": owed,
            "reason": selectors.reason_to_declare(owed, version) if owed else "",
            "declared": declared,
            "can_manage": can(request.user, "policy.manage"),
            # What the page offers comes from the workflow's table (policies.transitions).
            "actions": transitions.allowed_actions(version, request.user),
            "can_review": can(request.user, "policy.review"),
            "previous": _visible_before(request, version),
        },
    )


@requires("policy.view")
def versions(request: HttpRequest) -> HttpResponse:
    listed = access.versions_visible(request.user).select_related("published_by", "created_by")
    return render(
        request,
        "policies/versions.html",
        {"versions": listed, "can_manage": can(request.user, "policy.manage")},
    )


@requires("policy.view")
def diff(request: HttpRequest, pk: int) -> HttpResponse:
    new = _visible_version(request, pk)
    against = request.GET.get("against")
    if against:
        against_id = parse_id(against)
        old = _visible_version(request, against_id) if against_id is not None else None
        if old is None:
            raise Http404
    else:
        old = _visible_before(request, new)
    if old is None:
        messages.info(request, "This is the first version: there is nothing to compare it with.")
        return redirect("policies:version", pk=new.pk)
    changes = selectors.version_diff(old, new)
    show_all = request.GET.get("all") == "1"
    return render(
        request,
        "policies/diff.html",
        {
            "old": old,
            "new": new,
            "changes": [c for c in changes if show_all or c.kind != "unchanged"],
            "counts": {
                k: sum(1 for c in changes if c.kind == k)
                for k in ("changed", "added", "removed", "unchanged")
            },
            "show_all": show_all,
            "others": access.versions_visible(request.user).filter(document=new.document).exclude(pk=new.pk),
        },
    )


@requires("policy.manage")
def import_policy(request: HttpRequest) -> HttpResponse:
    form = PolicyImportForm(request.POST or None, request.FILES or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            version = services.policy_import(
                actor=current_user(request),
                data=upload.read(),
                filename=upload.name,
                title=form.cleaned_data["title"],
            )
        except PolicyImportError as exc:
            error = str(exc)
        else:
            messages.success(
                request, f"Imported as draft version {version.number} with {version.clauses.count()} clauses."
            )
            return redirect("policies:version", pk=version.pk)
    return render(request, "policies/import.html", {"form": form, "error": error})


@requires("policy.manage")
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(PolicyVersion, pk=pk)
    today = timezone.localdate()
    initial = {
        "issue_date": today,
        "next_review_date": add_months(today, version.document.review_interval_months),
    }
    form = PublishForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.version_publish(actor=current_user(request), version=version, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, f"Version {version.number} is published. Everyone in post is asked to declare it."
            )
            return redirect("policies:version", pk=version.pk)
    current_version = selectors.current_version()
    changes = (
        selectors.version_diff(current_version, version)
        if current_version and current_version != version
        else []
    )
    return render(
        request,
        "policies/publish.html",
        {
            "version": version,
            "form": form,
            "current": current_version,
            "summary": services.outline.change_summary(changes) if changes else "",
            "in_post": selectors.staff_in_post().count(),
        },
    )


@requires("policy.manage")
@require_POST
def submit_for_review(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(PolicyVersion, pk=pk)
    try:
        services.version_submit_for_review(actor=current_user(request), version=version)
    except ValidationError as exc:
        messages.error(request, " ".join(service_messages(exc)))
    else:
        messages.success(
            request, f"Version {version.number} is now in review: reviewers can comment on its clauses."
        )
    return redirect("policies:version", pk=pk)


# --- Review ----------------------------------------------------------------------------------


@requires("policy.review")
def review(request: HttpRequest) -> HttpResponse:
    document = selectors.policy_document()
    current_version = selectors.current_version()
    if document is None or current_version is None:
        return render(request, "policies/none.html", {"can_manage": can(request.user, "policy.manage")})
    open_review = selectors.open_review(document)
    candidates = document.versions.filter(
        status__in=[VersionStatus.PUBLISHED, VersionStatus.IN_REVIEW, VersionStatus.DRAFT]
    )
    drafts = document.versions.filter(status__in=[VersionStatus.DRAFT, VersionStatus.IN_REVIEW])
    references = selectors.references_for(current_version)
    draft_references = {d.pk: selectors.references_for(d) for d in drafts}
    comments = list(open_review.comments.select_related("author", "version")) if open_review else []
    clauses = list(current_version.clauses.all())
    names = _clause_names(clauses)
    # Comments are stored against a clause key ("acceptance-of-friends"); people read its heading.
    headings = {
        (c.version_id, c.key): c.shown_heading
        for c in Clause.objects.filter(version__in={comment.version_id for comment in comments})
    }
    return render(
        request,
        "policies/review.html",
        {
            "document": document,
            "version": current_version,
            "state": selectors.review_state(document),
            "open_review": open_review,
            "comments": [(c, headings.get((c.version_id, c.clause_key), c.clause_key)) for c in comments],
            "references": references,
            "cited": [(c, [(k, names.get(k, k)) for k in c.clauses]) for c in references.cited],
            "drafts": [(d, draft_references[d.pk]) for d in drafts],
            "past_reviews": document.reviews.exclude(status="open")[:10],
            "comment_form": CommentForm(candidates, initial={"version": current_version}),
            "reconfirm_form": ReconfirmForm(
                initial={
                    "next_review_date": add_months(timezone.localdate(), document.review_interval_months)
                }
            ),
            # What a reviewer types (a number, or the heading of a clause without one) and reads.
            "clauses": [(c.number or c.heading or c.label, c.shown_heading) for c in clauses],
            "can_manage": can(request.user, "policy.manage"),
            "can_comment": can(request.user, "policy.comment"),
        },
    )


def _clause_names(clauses: Iterable[Clause]) -> dict[str, str]:
    """{key: what people call the clause}: its number, or its heading where it has none."""
    return {c.key: c.number or c.heading or c.label for c in clauses}


@requires("policy.manage")
@require_POST
def review_start(request: HttpRequest) -> HttpResponse:
    document = selectors.policy_document()
    if document is None:
        raise Http404
    try:
        services.review_start(actor=current_user(request), document=document)
    except ValidationError as exc:
        messages.error(request, " ".join(service_messages(exc)))
    else:
        messages.success(request, "Review started. Reviewers can now comment clause by clause.")
    return redirect("policies:review")


@requires("policy.comment")
@require_POST
def review_comment(request: HttpRequest) -> HttpResponse:
    document = selectors.policy_document()
    open_review = selectors.open_review(document) if document else None
    if document is None or open_review is None:
        messages.error(request, "No review is open.")
        return redirect("policies:review")
    form = CommentForm(document.versions.exclude(status=VersionStatus.RETIRED), request.POST)
    if form.is_valid():
        version = form.cleaned_data["version"]
        clause = services.outline.find_clause(services.clauses_of(version), form.cleaned_data["clause"])
        try:
            services.review_comment_add(
                actor=current_user(request),
                review=open_review,
                version=version,
                clause_key=clause.key if clause else form.cleaned_data["clause"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(service_messages(exc)))
        else:
            messages.success(request, "Comment recorded.")
    else:
        messages.error(request, "Choose a version and clause, and write the comment.")
    return redirect("policies:review")


@requires("policy.manage")
@require_POST
def review_reconfirm(request: HttpRequest) -> HttpResponse:
    document = selectors.policy_document()
    open_review = selectors.open_review(document) if document else None
    form = ReconfirmForm(request.POST)
    if open_review is None:
        messages.error(request, "Start a review first.")
    elif not form.is_valid():
        messages.error(request, " ".join(form_messages(form)))
    else:
        try:
            services.review_reconfirm(actor=current_user(request), review=open_review, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(service_messages(exc)))
        else:
            messages.success(
                request,
                f"Version confirmed unchanged and the review closed. Next review "
                f"{form.cleaned_data['next_review_date']:%-d %B %Y}.",
            )
    return redirect("policies:review")


@requires("policy.view")
def legislation(request: HttpRequest) -> HttpResponse:
    version = selectors.current_version()
    # Citations are stored by clause key ("acceptance-of-friends"); people read the clause's
    # number, or its heading where it has none.
    names = _clause_names(version.clauses.all()) if version else {}
    cited = (
        {
            c.reference.key: ", ".join(names.get(k, k) for k in c.clauses)
            for c in selectors.references_for(version).cited
        }
        if version
        else {}
    )
    register = load_register(settings.LEGISLATION_FILE)
    return render(
        request, "policies/legislation.html", {"entries": [(r, cited.get(r.key, "")) for r in register]}
    )


# --- Declarations ----------------------------------------------------------------------------


@requires("declarations.make")
def declare(request: HttpRequest) -> HttpResponse:
    version = selectors.current_version()
    staff = selectors.staff_for_user(request.user)
    if version is None or staff is None:
        return render(request, "policies/declare.html", {"version": version, "staff": staff})
    done = Declaration.objects.filter(staff=staff, version=version).first()
    form = DeclarationForm(version, request.POST or None)
    if request.method == "POST" and done is None and form.is_valid():
        try:
            services.declaration_make(
                actor=current_user(request),
                staff=staff,
                version=version,
                confirmations=form.cleaned_data,
                ip_address=current_ip.get(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Thank you: your declaration of version {version.number} is recorded.")
            return redirect("policies:declare")
    row = selectors.declaration_owed(staff)
    return render(
        request,
        "policies/declare.html",
        {
            "version": version,
            "staff": staff,
            "form": form,
            "done": done,
            "reason": selectors.reason_to_declare(row, version) if row else "",
        },
    )


@requires("declarations.view")
def coverage(request: HttpRequest) -> HttpResponse:
    version = selectors.current_version()
    if version is None:
        return render(request, "policies/none.html", {"can_manage": can(request.user, "policy.manage")})
    today = timezone.localdate()
    summary = selectors.declaration_summary(version, today)

    def bars(title: str, groups: list[selectors.CoverageGroup]) -> Any:
        return charts.percent_bars(
            title, [(g.label, g.percent, f"{g.declared} of {g.total}") for g in groups]
        )

    # A page at a time: at a large college group's size thousands can owe a declaration.
    page = Paginator(summary.outstanding, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "policies/coverage.html",
        {
            "version": version,
            "overall": summary.overall if summary.overall.total else None,
            "by_department": summary.by_department,
            "by_type": summary.by_type,
            "department_chart": bars("Declarations by department", summary.by_department),
            "type_chart": bars("Declarations by employment type", summary.by_type),
            "trend_chart": charts.percent_line(
                "Share of staff who have declared, since publication", summary.trend
            ),
            "page": page,
            "chosen": request.GET,
            "outstanding": [(member, (today - member.owed_since).days) for member in page],  # type: ignore[attr-defined]
            "escalate_after": reminders.escalation_days(),
            "can_export": can(request.user, "declarations.export"),
        },
    )


@requires("declarations.export")
def declarations_export(request: HttpRequest) -> HttpResponse:
    out = io.StringIO()
    writer = csvfiles.writer(out)
    writer.writerow(
        [
            "staff_id",
            "name",
            "department",
            "employment_type",
            "version",
            "version_hash",
            "declared_at",
            "ip_address",
            "read_and_understood",
            "agrees_to_comply",
            "accepts_monitoring",
            "audit_event",
        ]
    )
    for d in Declaration.objects.select_related("staff__department", "version", "audit_event").order_by(
        "declared_at", "pk"
    ):
        writer.writerow(
            [
                d.staff.external_id,
                d.staff.full_name,
                d.staff.department.name if d.staff.department else "",
                d.staff.employment_type,
                d.version.number,
                d.version_hash,
                d.declared_at.isoformat(),
                d.ip_address or "",
                d.read_and_understood,
                d.agrees_to_comply,
                d.accepts_monitoring,
                d.audit_event.seq,
            ]
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="declarations.csv"'
    return response


# --- Training --------------------------------------------------------------------------------


@requires("training.view")
def training(request: HttpRequest) -> HttpResponse:
    # Each course lists its first gaps; "show all" pages through one course's (?course=CODE).
    code = request.GET.get("course", "")
    summaries = selectors.course_summaries(code=code)
    sections = []
    for summary in summaries:
        page = Paginator(summary.gaps, PAGE_SIZE).get_page(request.GET.get("page")) if code else None
        members = page if page is not None else summary.gaps[:GAPS_SHOWN]
        sections.append({"c": summary, "shown": summary.statuses(members), "page": page})
    return render(
        request,
        "policies/training.html",
        {
            "sections": sections,
            "one_course": bool(code),
            "chosen": request.GET,
            "chart": charts.percent_bars(
                "Training coverage by course",
                [(c.course.name, c.percent, f"{c.current} of {c.required}") for c in summaries],
            ),
            "can_manage": can(request.user, "training.manage"),
            "expiring_days": selectors.EXPIRING_DAYS,
        },
    )


@signed_in
def my_training(request: HttpRequest) -> HttpResponse:
    staff = selectors.staff_for_user(request.user)
    return render(
        request,
        "policies/my_training.html",
        {
            "staff": staff,
            "statuses": selectors.training_statuses(staff=staff) if staff else [],
            "history": TrainingCompletion.objects.filter(staff=staff).select_related("course")
            if staff
            else [],
        },
    )


@requires("training.manage")
def training_record(request: HttpRequest) -> HttpResponse:
    # A link from a blocked approval names the person and course, and the page to return to.
    initial = {"completed_on": timezone.localdate(), **_ids(request, "staff", "course")}
    find = request.GET.get("find", "")
    form = CompletionForm(request.POST or None, initial=initial, find=find)
    back = request.GET.get("next", "")
    if not back.startswith("/") or not url_has_allowed_host_and_scheme(back, {request.get_host()}):
        back = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.completion_record(actor=current_user(request), source="manual", **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, f"Recorded {form.cleaned_data['course']} for {form.cleaned_data['staff']}."
            )
            return redirect(back or "policies:training")
    # The find box is a GET form of its own: it keeps the course and the way back it came with.
    keep = [(name, request.GET[name]) for name in ("course", "next") if request.GET.get(name)]
    return render(request, "policies/training_record.html", {"form": form, "find": find, "keep": keep})


def _ids(request: HttpRequest, *names: str) -> dict[str, int]:
    found = {name: parse_id(request.GET.get(name, "")) for name in names}
    return {name: number for name, number in found.items() if number is not None}


@requires("training.manage")
def training_import(request: HttpRequest) -> HttpResponse:
    form = CsvImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            recorded, existing = services.completions_import(
                actor=current_user(request), data=upload.read(), filename=upload.name
            )
        except ImportFailed as failed:
            errors = [str(e) for e in failed.errors]
        else:
            messages.success(
                request,
                f"Recorded {recorded} completion{'s' if recorded != 1 else ''}; "
                f"{existing} were already recorded.",
            )
            return redirect("policies:training")
    return render(
        request,
        "policies/training_import.html",
        {
            "form": form,
            "errors": errors,
            "columns": services.TRAINING_COLUMNS,
            "courses": Course.objects.filter(active=True),
        },
    )


@requires("training.manage")
def course_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    instance = get_object_or_404(Course, pk=pk) if pk else None
    form = CourseForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.course_save(
                actor=current_user(request),
                values=form.cleaned_data,
                # The form has already written its values onto `instance`; the service needs the stored one.
                instance=Course.objects.get(pk=pk) if pk else None,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Course saved.")
            return redirect("policies:training")
    title = f"Edit {instance}" if instance else "Add a course"
    return render(request, "policies/form.html", {"form": form, "title": title})


# --- Reminders -------------------------------------------------------------------------------


@signed_in
def digest_preview(request: HttpRequest) -> HttpResponse:
    # Links as the person will follow them from here: the address this page was asked on.
    site = request.build_absolute_uri("/")
    return render(request, "policies/digest.html", {"digest": reminders.digest_for(request.user, site=site)})


# --- The rules pack and rule quality (docs/rules.md) -------------------------------------------

QUALITY_PERIODS = {"30": 30, "90": 90, "365": 365}


def _visible_posts(
    request: HttpRequest, draft_ids: list[int], archive_ids: list[int]
) -> tuple[set[int], set[int]]:
    return checked_posts.provider().visible(request.user, draft_ids, archive_ids)


@requires("rules.pack_view")
def rules_pack(request: HttpRequest) -> HttpResponse:
    """The organisation's rules pack: read by SMT and the auditor; the Quality Director edits
    it, previews what it would change on the archive and recent drafts, then saves it."""
    from socialguard.policies import packs
    from socialguard.rules.pack import PackError

    can_manage = can(request.user, "rules.pack_manage")
    version = packs.current_version()
    pack, source = packs.rules_pack()
    saved_text = version.text if version else packs.starting_text()
    text, errors, preview, diff = saved_text, [], None, ""
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        text = request.POST.get("text", "").replace("\r\n", "\n")
        if request.POST.get("action") == "save" and version is not None and version.text == text:
            # Not a mistake in the pack: say so plainly, not under "The pack cannot be used yet".
            messages.info(request, f"Nothing to save: this is version {version.number} as it stands.")
            return redirect("policies:rules_pack")
        if request.POST.get("action") == "save":
            try:
                saved = services.pack_save(actor=current_user(request), text=text)
            except PackError as exc:
                errors = exc.errors
            except ValidationError as exc:
                errors = service_messages(exc)
            else:
                messages.success(request, f"Saved as version {saved.number}: checks use it from now on.")
                return redirect("policies:rules_pack")
        else:
            try:
                proposed = packs.load_text(text, f"pack version {(version.number if version else 0) + 1}")
            except PackError as exc:
                errors = exc.errors
            else:
                preview = packs.preview(proposed)
                pack = proposed
                diff = "\n".join(packs.text_diff(saved_text, text))
    rows = packs.mapping_rows(pack)
    drafts, archived = _visible_posts(
        request,
        [p.id for p in preview.posts if p.kind == "draft"] if preview else [],
        [p.id for p in preview.posts if p.kind == "archive"] if preview else [],
    )
    return render(
        request,
        "policies/rules_pack.html",
        {
            "version": version,
            "source": source,
            "text": text,
            "errors": errors,
            "preview": preview,
            "diff": diff,
            "summary": packs.diff_summary(saved_text, text) if preview else "",
            "rows": rows,
            "unmapped": [r for r in rows if r.unmapped],
            "policy": packs.published_policy(),
            "versions": packs.RulesPack.objects.select_related("created_by")[:20],
            "lexicons": packs.lexicon_names(),
            "can_manage": can_manage,
            "proposing": request.method == "POST",
            "visible_drafts": drafts,
            "visible_archive": archived,
        },
    )


@requires("rules.pack_view")
def rule_quality(request: HttpRequest) -> HttpResponse:
    """Per rule: how often it fired and how often people overrode or dismissed it, rules to tune first."""
    from socialguard.policies import packs

    period = request.GET.get("days", "90")
    days = QUALITY_PERIODS.get(period, 90)
    until = timezone.now()
    since = until - dt.timedelta(days=days)
    rows = packs.rule_quality(since, until)
    # The share each rule's findings were kept, lowest first (rows come most disputed first): counts
    # on one scale let a rule that fires on every draft hide the one people keep overriding.
    top = [r for r in rows if r.fired][:12]
    chart = charts.percent_bars(
        f"Share of each rule's findings that approvers kept over the last {days} days (lowest first)",
        [(f"{r.rule} {r.name}", 100 - r.rate, f"{r.fired - r.pushed_back} of {r.fired} kept") for r in top],
    )
    return render(
        request,
        "policies/rule_quality.html",
        {
            "rows": rows,
            "chart": chart,
            "days": days,
            "periods": QUALITY_PERIODS,
            # Links only to the posts this person may open (a draft is its account's runners' and SMT's).
            "visible_drafts": _visible_posts(
                request, [d for r in rows for d in (*r.examples, *(x[1] for x in r.reasons))], []
            )[0],
        },
    )
