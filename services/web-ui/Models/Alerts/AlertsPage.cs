using LlmMonitor.WebUi.Alerts;

namespace LlmMonitor.WebUi.Models.Alerts;

/// <summary>A rule on the alerts page with its latest changes of state.</summary>
public sealed record AlertRow(AlertRuleView Rule, IReadOnlyList<AlertEventView> History);

/// <summary>
/// The alerts page: every rule (null when the database is unreachable), and for the admin the form, filled with the
/// rule being edited (<c>?edit=id</c>) or empty.
/// </summary>
public sealed record AlertsPage(IReadOnlyList<AlertRow>? Rows, bool CanEdit, AlertRuleView? Editing);
