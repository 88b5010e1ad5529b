namespace LlmMonitor.Storage.Reads;

/// <summary>Calls whose tag <see cref="Key"/> equals <see cref="Value"/>; written "key:value", split at the first colon.</summary>
public sealed record TagFilter(string Key, string Value)
{
    /// <summary>Null when the text has no colon or an empty key.</summary>
    public static TagFilter? Parse(string? text)
    {
        var colon = text?.IndexOf(':') ?? -1;
        return colon > 0 ? new TagFilter(text![..colon], text[(colon + 1)..]) : null;
    }

    public override string ToString() => $"{Key}:{Value}";
}
