namespace LlmMonitor.Events;

/// <summary>Field name → reasons, in the shape of RFC 7807 validation problems.</summary>
public sealed class ValidationErrors : Dictionary<string, string[]>
{
    public ValidationErrors() : base(StringComparer.Ordinal) { }

    public void Add(string field, string reason) =>
        this[field] = TryGetValue(field, out var existing) ? [.. existing, reason] : [reason];

    public bool HasErrors => Count > 0;

    public override string ToString() =>
        string.Join("; ", this.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}"));
}
