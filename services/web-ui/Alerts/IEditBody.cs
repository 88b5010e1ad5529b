using LlmMonitor.Alerts.Definitions;

namespace LlmMonitor.WebUi.Alerts;

/// <summary>A rule's or budget's body, which checks itself into what is stored, naming each bad field.</summary>
public interface IEditBody<out T> where T : class
{
    /// <param name="stored">The channels before this edit (a channel sent without a secret keeps its secret), or none for a new one.</param>
    T? Validate(IReadOnlyList<NotificationChannel> stored, Dictionary<string, string[]> errors);
}
