namespace LlmMonitor.WebUi.Models;

public sealed record StatCard(string Id, string Title, string Value, (string Text, string Tone) Change, string? Note = null);
