"""The privacy pages. Thin: privacy.services write, privacy.selectors read, and the connection
check is matched in memory here and rendered straight back (never redirected, never put in a
message or the session, so nothing from the upload outlives the response)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from socialguard.identity.access import current_user, requires
from socialguard.identity.permissions import can
from socialguard.privacy import checklists, exports, matching, processing, selectors, services, subject_access
from socialguard.privacy.forms import (
    CheckResultForm,
    DecisionForm,
    EraseForm,
    PersonSearchForm,
    PlatformsForm,
    ResolveForm,
    ScreeningForm,
    SelfCheckForm,
)
from socialguard.privacy.models import PersonKind, ScreeningRecord, ScreeningStatus
from socialguard.privacy.retention import review_months, self_check_max_bytes
from socialguard.privacy.uploads import in_memory_uploads
from socialguard.ui.errors import add_service_errors, attempt, sentence


@requires("privacy.self_check")
def index(request: HttpRequest) -> HttpResponse:
    staff = selectors.my_staff_record(request.user)
    context: dict[str, Any] = {"staff": staff, "months": review_months(), "today": timezone.localdate()}
    if staff is not None:
        context |= {
            "last_check": selectors.last_self_check(staff),
            "last_review": selectors.last_review(staff),
            "review_due": selectors.review_due_on(staff),
        }
    return render(request, "privacy/index.html", context)


@in_memory_uploads
@never_cache
@requires("privacy.self_check")
def self_check(request: HttpRequest) -> HttpResponse:
    form = SelfCheckForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("export")
        source = form.cleaned_data.get("source") or ""
        try:
            if upload is not None:
                parsed = exports.parse(upload.read(), expected="" if source in ("", "pasted") else source)
            else:
                parsed = exports.parse_pasted(form.cleaned_data["pasted"])
        except exports.ExportError as exc:
            form.add_error("export" if upload is not None else "pasted", sentence(exc))
        else:
            found = matching.match(parsed.connections, selectors.register_index())
            try:
                check = services.self_check_done(
                    actor=current_user(request), matches=len(found), source=parsed.format
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return render(
                    request,
                    "privacy/self_check_result.html",
                    {
                        "check": check,
                        "found": found,
                        "read": len(parsed.connections),
                        "format": exports.FORMATS.get(parsed.format, "Pasted handles and names"),
                        "note": parsed.note,
                        "clause": matching.CLAUSE,
                        "clause_text": matching.CLAUSE_TEXT,
                        "resolve_form": ResolveForm(initial={"resolved": len(found)}),
                    },
                )
    return render(
        request,
        "privacy/self_check.html",
        {"form": form, "max_mb": self_check_max_bytes() // (1024 * 1024), "formats": exports.FORMATS},
    )


@requires("privacy.self_check")
@require_POST
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    form = ResolveForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: services.self_check_resolve(
                actor=current_user(request), check_id=pk, resolved=form.cleaned_data["resolved"]
            ),
            "Thank you: your check is recorded (only the numbers, never the names).",
        )
    return redirect("privacy:index")


@requires("privacy.review")
def review(request: HttpRequest) -> HttpResponse:
    """Step 1 (GET without platforms): which platforms; step 2: their checklists; POST: done."""
    chosen = PlatformsForm(request.GET or None) if request.method == "GET" else PlatformsForm(request.POST)
    if not chosen.is_valid():
        return render(request, "privacy/review_platforms.html", {"form": chosen, "months": review_months()})
    platforms = chosen.cleaned_data["platforms"]
    errors: list[str] = []
    ticked = {p: request.POST.getlist(f"{p}-done") for p in platforms} if request.method == "POST" else {}
    if request.method == "POST":
        try:
            services.privacy_review_complete(actor=current_user(request), platforms=platforms, ticked=ticked)
        except ValidationError as exc:
            errors = [sentence(m) for m in exc.messages]
        else:
            messages.success(
                request, f"Privacy review recorded. The next is due in {review_months()} months."
            )
            return redirect("privacy:index")
    sections = [
        (
            p,
            checklists.PLATFORMS[p][0],
            [(item, item.key in ticked.get(p, [])) for item in checklists.items_for(p)],
        )
        for p in platforms
    ]
    return render(
        request,
        "privacy/review_checklist.html",
        {"sections": sections, "platforms": platforms, "errors": errors},
    )


@requires("privacy.coverage")
def coverage(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/coverage.html", {"rows": selectors.coverage(), "months": review_months()})


# --- Recruitment -------------------------------------------------------------------------------


@requires("recruitment.screen")
def screening_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "privacy/screening_list.html", {"records": selectors.screening_records(request.user)}
    )


@requires("recruitment.screen")
def screening_new(request: HttpRequest) -> HttpResponse:
    form = ScreeningForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.screening_create(actor=current_user(request), **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("privacy:screening", record.pk)
    return render(request, "privacy/screening_new.html", {"form": form})


def _screening(pk: int) -> ScreeningRecord:
    return get_object_or_404(ScreeningRecord, pk=pk)


@requires("recruitment.screen")
def screening(request: HttpRequest, pk: int) -> HttpResponse:
    record = _screening(pk)
    result_form = CheckResultForm(request.POST if request.POST.get("step") == "check" else None)
    decision_form = DecisionForm(request.POST if request.POST.get("step") == "decide" else None)
    if request.method == "POST":
        step = request.POST.get("step")
        if step == "approve":
            attempt(
                request,
                lambda: services.screening_approve_exception(actor=current_user(request), record=record),
                "Exception approved.",
            )
            return redirect("privacy:screening", pk)
        if step == "check" and result_form.is_valid():
            try:
                services.screening_record_check(
                    actor=current_user(request), record=record, **result_form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(result_form, exc)
            else:
                return redirect("privacy:screening", pk)
        if step == "decide" and decision_form.is_valid():
            try:
                services.screening_decide(
                    actor=current_user(request), record=record, **decision_form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(decision_form, exc)
            else:
                return redirect("privacy:screening", pk)
    return render(
        request,
        "privacy/screening.html",
        {
            "record": record,
            "result_form": result_form,
            "decision_form": decision_form,
            "awaiting": record.status == ScreeningStatus.AWAITING_EXCEPTION,
            "may_approve": record.recorded_by_id != request.user.pk,
        },
    )


# --- Subject access, retention, record of processing --------------------------------------------


@requires("privacy.subject_access")
def subject_access_page(request: HttpRequest) -> HttpResponse:
    form = PersonSearchForm(request.GET or None)
    people = []
    if form.is_valid():
        model = selectors.person_model(form.cleaned_data["kind"])
        q = form.cleaned_data["q"].strip()
        found = model.objects.all()
        for word in q.split():
            found = found.filter(
                Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(external_id__iexact=word)
            )
        people = list(found.order_by("last_name", "first_name", "pk")[:50])
    return render(request, "privacy/subject_access_page.html", {"form": form, "people": people})


@requires("privacy.subject_access")
@require_POST
def subject_access_download(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    if kind not in PersonKind.values or not selectors.person_model(kind).objects.filter(pk=pk).exists():
        raise Http404
    export = subject_access.subject_access_export(actor=current_user(request), kind=kind, pk=pk)
    response = HttpResponse(export.content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "no-store"
    return response


@requires("privacy.retention")
def retention_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "privacy/retention.html",
        {
            "rows": selectors.retention_due(reader=request.user),
            "form": EraseForm(),
            "today": timezone.localdate(),
        },
    )


@requires("privacy.retention")
@require_POST
def erase(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    form = EraseForm(request.POST)
    reason = form.data.get("reason", "")
    attempt(
        request,
        lambda: services.person_erase(actor=current_user(request), kind=kind, pk=pk, reason=str(reason)),
        "Erased: the record now shows only a pseudonym.",
    )
    return redirect("privacy:retention")


@requires("privacy.processing")
def processing_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "privacy/processing.html",
        {"entries": processing.record_of_processing(), "may_manage": can(request.user, "privacy.retention")},
    )
