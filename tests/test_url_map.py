"""Every URL of the app, with its methods and endpoint, as a fixed table: moving views between modules or
blueprints (as the consultations split did) must not change what a browser, a bookmark or an email link reaches.
A new page adds its line here on purpose."""

from support import TEST_SETTINGS
from youth_portal import create_app

#: (rule, methods without HEAD and OPTIONS, endpoint), sorted by rule.
URL_MAP = (
    ("/", "GET", "cities.home"),
    ("/account", "GET", "my_account.overview"),
    ("/account/data", "GET", "my_account.data"),
    ("/account/data.json", "GET", "my_account.data_download"),
    ("/account/delete", "GET,POST", "my_account.delete"),
    ("/account/email", "GET,POST", "my_account.email"),
    ("/account/email/confirm/<token>", "GET", "my_account.confirm_email"),
    ("/account/email/confirm/<token>", "POST", "my_account.confirm_email_post"),
    ("/account/guardian", "GET", "guardians.request_page"),
    ("/account/guardian/resend", "POST", "guardians.resend"),
    ("/account/participation", "GET", "consultations.participation.index"),
    ("/account/password", "GET,POST", "my_account.password"),
    ("/account/profile", "GET,POST", "my_account.profile"),
    ("/account/role-invitation/<token>", "POST", "role_invitations.answer"),
    ("/account/role-invitation/<token>", "GET", "role_invitations.page"),
    ("/account/two-step", "GET,POST", "my_account.two_step_verification"),
    ("/account/two-step/backup-codes", "POST", "my_account.new_backup_codes"),
    ("/account/two-step/off", "POST", "my_account.two_step_off"),
    ("/admin/audit", "GET", "admin.audit"),
    ("/admin/cities", "GET", "admin.cities"),
    ("/admin/cities/<slug>/admins", "GET,POST", "admin.city_admins"),
    ("/admin/cities/<slug>/admins/<int:role_id>/revoke", "POST", "admin.revoke_city_admin"),
    ("/admin/cities/new", "GET,POST", "admin.new_city"),
    ("/cities/<slug>/", "GET", "cities.city"),
    ("/cities/<slug>/consultations", "GET", "consultations.public.city_list"),
    ("/cities/<slug>/consultations/<int:consultation_id>", "GET", "consultations.public.consultation"),
    ("/cities/<slug>/consultations/<int:consultation_id>/cover", "GET", "consultations.public.cover"),
    ("/cities/<slug>/consultations/<int:consultation_id>/respond", "GET,POST", "consultations.public.respond"),
    ("/cities/<slug>/consultations/<int:consultation_id>/results", "GET", "consultations.results.public"),
    ("/cities/<slug>/consultations/<int:consultation_id>/thanks", "GET", "consultations.public.thanks"),
    ("/cities/<slug>/manage/audit", "GET", "admin.manage.audit"),
    ("/cities/<slug>/manage/consultations", "GET", "consultations.staff.list"),
    ("/cities/<slug>/manage/consultations/<int:consultation_id>/archive", "POST", "consultations.staff.archive"),
    ("/cities/<slug>/manage/consultations/<int:consultation_id>/close", "POST", "consultations.staff.close"),
    ("/cities/<slug>/manage/consultations/<int:consultation_id>/edit", "GET,POST", "consultations.staff.edit"),
    ("/cities/<slug>/manage/consultations/<int:consultation_id>/export.csv", "GET", "consultations.results.export_csv"),
    (
        "/cities/<slug>/manage/consultations/<int:consultation_id>/export.json",
        "GET",
        "consultations.results.export_json",
    ),
    ("/cities/<slug>/manage/consultations/<int:consultation_id>/outcome", "GET,POST", "consultations.outcome.edit"),
    (
        "/cities/<slug>/manage/consultations/<int:consultation_id>/outcome/commitments",
        "POST",
        "consultations.outcome.add_commitment",
    ),
    (
        "/cities/<slug>/manage/consultations/<int:consultation_id>/outcome/commitments/<int:commitment_id>",
        "GET,POST",
        "consultations.outcome.edit_commitment",
    ),
    (
        "/cities/<slug>/manage/consultations/<int:consultation_id>/outcome/commitments/<int:commitment_id>/remove",
        "POST",
        "consultations.outcome.remove_commitment",
    ),
    ("/cities/<slug>/manage/consultations/<int:consultation_id>/preview", "GET", "consultations.staff.preview"),
    ("/cities/<slug>/manage/consultations/<int:consultation_id>/publish", "POST", "consultations.staff.publish"),
    ("/cities/<slug>/manage/consultations/<int:consultation_id>/questions", "GET", "consultations.builder.questions"),
    (
        "/cities/<slug>/manage/consultations/<int:consultation_id>/questions/<int:question_id>/delete",
        "POST",
        "consultations.builder.delete_question",
    ),
    (
        "/cities/<slug>/manage/consultations/<int:consultation_id>/questions/<int:question_id>/edit",
        "GET,POST",
        "consultations.builder.edit_question",
    ),
    (
        "/cities/<slug>/manage/consultations/<int:consultation_id>/questions/<int:question_id>/move",
        "POST",
        "consultations.builder.move_question",
    ),
    (
        "/cities/<slug>/manage/consultations/<int:consultation_id>/questions/new",
        "GET,POST",
        "consultations.builder.add_question",
    ),
    (
        "/cities/<slug>/manage/consultations/<int:consultation_id>/quotes/<key>/approve",
        "POST",
        "consultations.results.approve_quote",
    ),
    (
        "/cities/<slug>/manage/consultations/<int:consultation_id>/quotes/<key>/withdraw",
        "POST",
        "consultations.results.withdraw_quote",
    ),
    ("/cities/<slug>/manage/consultations/<int:consultation_id>/results", "GET", "consultations.results.staff"),
    (
        "/cities/<slug>/manage/consultations/<int:consultation_id>/results/questions/<int:question_id>/texts",
        "GET",
        "consultations.results.texts",
    ),
    ("/cities/<slug>/manage/consultations/<int:consultation_id>/unpublish", "POST", "consultations.staff.unpublish"),
    ("/cities/<slug>/manage/consultations/new", "GET,POST", "consultations.staff.new"),
    ("/cities/<slug>/manage/consultations/settings", "GET,POST", "consultations.settings.edit"),
    ("/cities/<slug>/manage/roles", "GET,POST", "admin.manage.roles"),
    ("/cities/<slug>/manage/roles/<int:role_id>/revoke", "POST", "admin.manage.revoke"),
    ("/consultations", "GET", "consultations.public.network_list"),
    ("/guardian/consent/<token>", "GET", "guardians.consent_page"),
    ("/guardian/consent/<token>", "POST", "guardians.decide"),
    ("/guardian/done/<outcome>", "GET", "guardians.done"),
    ("/guardian/withdraw/<token>", "POST", "guardians.withdraw"),
    ("/guardian/withdraw/<token>", "GET", "guardians.withdraw_page"),
    ("/language", "POST", "pages.switch_language"),
    ("/login", "GET,POST", "accounts.login"),
    ("/login/code", "GET,POST", "accounts.login_code"),
    ("/logout", "POST", "accounts.logout"),
    ("/password/forgot", "GET,POST", "accounts.forgot_password"),
    ("/password/reset/<token>", "POST", "accounts.choose_new_password"),
    ("/password/reset/<token>", "GET", "accounts.reset_password"),
    ("/privacy", "GET", "pages.privacy"),
    ("/register", "GET,POST", "accounts.register"),
    ("/register/check-email", "GET", "accounts.check_email"),
    ("/register/validate", "POST", "accounts.validate_registration"),
    ("/static/<path:filename>", "GET", "static"),
    ("/terms", "GET", "pages.terms"),
    ("/verify/<token>", "POST", "accounts.confirm_email"),
    ("/verify/<token>", "GET", "accounts.verify_email"),
    ("/verify/new", "GET", "accounts.new_verification_link"),
    ("/verify/resend", "POST", "accounts.resend_verification"),
)


def test_every_rule_and_method_is_as_listed():
    app = create_app(TEST_SETTINGS | {"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "url-map"})
    found = sorted(
        (rule.rule, ",".join(sorted(rule.methods - {"HEAD", "OPTIONS"})), rule.endpoint)
        for rule in app.url_map.iter_rules()
    )
    assert found == sorted(URL_MAP)
