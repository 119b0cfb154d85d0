"""What differs between Odoo 18.0 and 19.0, in one place, for the three addons.

The addons run on both series from the same code. Where one spelling is valid on both, the
code uses it (STYLE.md, "Two series, one code"): ``_read_group``, ``self.env.cr``,
``has_group()``, ``new_test_user``, search views' ``<group>`` without attributes, ``card``
kanban templates; the partner's numbers through ``_phone_get_number_fields()`` (19.0 has no
``mobile``); mail templates with ``partner_to`` say ``use_default_to`` False (19.0's default
is True, which ignores ``partner_to`` and adds the record's responsible user); order lines
take their taxes from the product (``tax_id`` is ``tax_ids`` on 19.0); a company's own bank
account is trusted (``allow_out_payment``: 19.0 refuses to post an invoice paid to an
untrusted one); ``xlsxwriter`` imported from itself (19.0's ``odoo.tools.misc`` no longer
exports it); a spreadsheet dashboard read from its ``spreadsheet_data``; manifests versioned
``x.y.z`` (Odoo prefixes the series it runs on).
What cannot be written once is here, chosen by Odoo's ``release.version_info``; when a new
series comes, this module and CI change, not the models.

Each difference, the series of each spelling, and what to use:

- SQL constraints. 18.0: a model's ``_sql_constraints`` list; 19.0: a ``models.Constraint``
  attribute per constraint (19.0 ignores ``_sql_constraints``, with a warning only: the
  constraint would silently be missing). Use ``_name = compat.Constraint(definition,
  message)`` (19.0's spelling); on 18.0 it becomes an entry of ``_sql_constraints``. The
  constraint has the same name in the database on both: ``<table>_<name>``.
- The result of a public method returning records, over RPC. 18.0 needs
  ``@api.returns("self")`` (an RPC call gets the ids); 19.0 removed ``api.returns`` and gives
  the ids of any recordset returned. Use ``@compat.returns_records``.
- Users and groups. The groups of a user: ``res.users.groups_id`` (18.0), ``group_ids``
  (19.0): ``USER_GROUPS``, to write a user's groups; ``set_user_groups()``, which the demo's
  users get theirs through (``<function model="res.groups" name="_credit_user_groups"/>``).
  Every user having a group (directly or through a group that implies it):
  ``res.groups.users`` (18.0 stores the implied groups on the user), ``all_user_ids``
  (19.0): ``group_users()``. To test a user's group, use ``has_group()`` on both.
- The groups a view, menu, action or report is restricted to: ``groups_id`` (18.0),
  ``group_ids`` (19.0): ``RECORD_GROUPS``. Data files restrict their records with
  ``<function model="res.groups" name="_credit_restrict" eval="[group xmlid, [xmlids]]"/>``
  (``restrict_to_group()``).
- Where groups show on the user form. 18.0: the group's application category
  (``res.groups.category_id``, an ``ir.module.category``); 19.0 has no category on groups but
  a privilege (``res.groups.privilege_id``, a ``res.groups.privilege`` in that category).
  Data files declare the category and call ``<function model="res.groups"
  name="_credit_classify" eval="[category xmlid, [group xmlids]]"/>`` (``classify_groups()``),
  which makes the category's privilege on 19.0.
- The settings' window action: its target is ``inline`` on 18.0; 19.0 has no such target
  (it shows ``res.config.settings`` as the settings by itself): ``SETTINGS_TARGET``, set by
  ``<function model="ir.actions.act_window" name="_credit_settings_action" eval="[xmlid]"/>``.
- The VIES check of VAT numbers (tests keep it off the network): 18.0 calls stdnum's
  ``check_vies`` imported in ``base_vat.models.res_partner``; 19.0 asks Odoo's IAP service
  through ``res.partner._check_vies_iap``: ``VIES_CHECK``, the name to patch.
- What the mail queue tells an email once sent or refused,
  ``mail.mail._postprocess_sent_message``: 19.0 adds the successful emails
  (``success_emails``, required) to the successful partners. Overrides take ``*args,
  **kwargs``; tests that play the queue call ``mails_sent()``.
- The end of a batch of a scheduled action: 18.0 commits, then reports the progress with
  ``ir.cron._notify_progress(done, remaining)``; 19.0 deprecates it for
  ``ir.cron._commit_progress(processed, remaining)``, which commits: ``batch_done()``.
- A scheduled action run by hand (``ir.cron.method_direct_trigger``): in the caller's
  transaction on 18.0; in a cursor of its own on 19.0, which a test opens on its own
  transaction (``enter_registry_test_mode``): tests call ``run_cron()``.
- Whether the registry's new cursors are the running test's (an ``HttpCase``): 18.0's
  ``registry.in_test_mode()``; 19.0 has no such flag, its tests replace the registry's
  ``cursor`` method on the registry itself (``odoo.tests.common``'s
  ``_registry_test_mode_patches``): ``registry_in_test_mode()``.
- HTTP requests written by hand in an ``HttpCase`` (not through ``url_open``): 18.0 serves
  them; 19.0 only within ``allow_requests()`` and with the test's cookie:
  ``http_requests_allowed()`` gives the headers to add.
- A QR code image from ``ir.actions.report.barcode``: ``quiet=True`` removes its margin
  (the quiet zone a scanner needs) on 18.0 and keeps it on 19.0: ``qr_code()``.
- The check of a payment transaction route's parameters,
  ``PaymentPortal._validate_transaction_kwargs``: it refuses with a ``ValidationError`` on
  18.0, a ``BadRequest`` on 19.0: ``validate_transaction_kwargs()`` refuses with a
  ``ValidationError`` on both.
- JSON-RPC routes: ``type="json"`` (18.0), ``type="jsonrpc"`` (19.0, where ``json`` is a
  deprecated alias): ``JSONRPC``.
"""

from contextlib import contextmanager

from werkzeug.exceptions import BadRequest

from odoo import api
from odoo.exceptions import ValidationError
from odoo.release import version_info

SERIES = version_info[:2]
# Odoo 18.0 and earlier spellings, for the series-dependent choices below.
BEFORE_19 = SERIES < (19, 0)

USER_GROUPS = "groups_id" if BEFORE_19 else "group_ids"
RECORD_GROUPS = "groups_id" if BEFORE_19 else "group_ids"
JSONRPC = "json" if BEFORE_19 else "jsonrpc"
SETTINGS_TARGET = "inline" if BEFORE_19 else "current"
VIES_CHECK = "odoo.addons.base_vat.models.res_partner." + (
    "check_vies" if BEFORE_19 else "ResPartner._check_vies_iap"
)


if BEFORE_19:

    class Constraint:
        """Odoo 19.0's ``models.Constraint`` on 18.0: the attribute ``_name`` of a model class
        adds ``(name, definition, message)`` to the class's own ``_sql_constraints``."""

        def __init__(self, definition, message=""):
            self.definition = definition
            self.message = message

        def __set_name__(self, owner, name):
            assert name.startswith("_"), "SQL constraints are private attributes"
            if "_sql_constraints" not in owner.__dict__:
                owner._sql_constraints = []
            owner._sql_constraints.append((name[1:], self.definition, self.message))

    def returns_records(method):
        """A public method that returns records: its RPC callers get their ids."""
        return api.returns("self")(method)

    def group_users(group):
        """Every user having ``group``, directly or through a group implying it."""
        return group.users

else:
    from odoo.models import Constraint  # noqa: F401

    def returns_records(method):
        """A public method that returns records: its RPC callers get their ids."""
        return method

    def group_users(group):
        """Every user having ``group``, directly or through a group implying it."""
        return group.all_user_ids


def batch_done(env, done, remaining, commit):
    """End of a batch of a scheduled action's work: committed when ``commit`` (never in
    tests), the progress (``done`` so far, ``remaining``) reported to the scheduler."""
    if BEFORE_19:
        if commit:
            env.cr.commit()  # pylint: disable=invalid-commit
        env["ir.cron"]._notify_progress(done=done, remaining=remaining)
    elif commit:
        # The progress counts what each call processed since the job's run started.
        progress = env["ir.cron.progress"].sudo().browse(env.context.get("ir_cron_progress_id"))
        env["ir.cron"]._commit_progress(max(done - progress.done, 0), remaining=remaining)


def qr_code(env, value, size):
    """The PNG image of the QR code of ``value``, ``size`` pixels wide and high, with its
    quiet zone."""
    return env["ir.actions.report"].barcode(
        "QR", value, width=size, height=size, quiet=not BEFORE_19
    )


def restrict_to_group(group, records):
    """Restrict ``records`` (views, menus, actions, reports, of any models) to ``group``;
    they keep their other groups."""
    for record in records:
        record[RECORD_GROUPS] = [(4, group.id)]


def set_user_groups(user, groups):
    """Give ``user`` exactly ``groups`` (and the groups they imply)."""
    user[USER_GROUPS] = [(6, 0, groups.ids)]


def classify_groups(category, groups):
    """Show ``groups`` under ``category`` on the user form: their category on 18.0; on 19.0
    the category's privilege, made once with the category's name, sequence and module
    (``<module>.res_groups_privilege_<name>`` for ``<module>.module_category_<name>``)."""
    if BEFORE_19:
        groups.category_id = category
        return
    module, name = category.get_external_id()[category.id].split(".", 1)
    privilege = category.env["res.groups.privilege"]._load_records(
        [
            {
                "xml_id": f"{module}.res_groups_privilege_{name.removeprefix('module_category_')}",
                "values": {
                    "name": category.name,
                    "description": category.description,
                    "sequence": category.sequence,
                    "category_id": category.id,
                },
            }
        ]
    )
    groups.privilege_id = privilege


def mails_sent(mails, failure_reason=False, failure_type=None):
    """The mail queue's report on ``mails``: sent to all their recipients, or refused with
    ``failure_type`` and ``failure_reason``."""
    sent = {"success_pids": []} if BEFORE_19 else {"success_pids": [], "success_emails": []}
    return mails._postprocess_sent_message(
        **sent, failure_reason=failure_reason, failure_type=failure_type
    )


def run_cron(case, cron):
    """Run the scheduled action ``cron`` from the test ``case`` as the scheduler runs it,
    seeing the test's records."""
    if BEFORE_19:
        return cron.method_direct_trigger()
    with case.enter_registry_test_mode():
        return cron.method_direct_trigger()


def registry_in_test_mode(registry):
    """Whether the new cursors of ``registry`` are the running test's, which see its records
    (never outside tests)."""
    if BEFORE_19:
        return registry.in_test_mode()
    return "cursor" in vars(registry)


@contextmanager
def http_requests_allowed(case):
    """Within it, the ``HttpCase`` ``case`` serves the requests sent by hand with the headers
    it gives."""
    if BEFORE_19:
        yield {}
        return
    from odoo.tests.common import TEST_CURSOR_COOKIE_NAME  # noqa: PLC0415 (tests only)

    with case.allow_requests():
        yield {"Cookie": f"{TEST_CURSOR_COOKIE_NAME}={case.http_request_key}"}


def validate_transaction_kwargs(portal, kwargs):
    """Odoo's check of the parameters of a payment transaction route (``portal``, a
    ``PaymentPortal`` controller), refused with a ``ValidationError``."""
    try:
        return portal._validate_transaction_kwargs(kwargs)
    except BadRequest as error:  # 19.0
        raise ValidationError(error.description) from None
