using LlmMonitor.Events;
using LlmMonitor.Storage.Reads;

namespace LlmMonitor.WebUi.Alerts;

/// <summary>The checks alert rules and budgets share; each adds "field: reason" to the errors.</summary>
public static class InputRules
{
    public const int NameMaxLength = 200;

    public static string? Name(string? name, Dictionary<string, string[]> errors)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > NameMaxLength)
        {
            errors["name"] = [$"is required, 1-{NameMaxLength} characters"];
            return null;
        }

        return trimmed;
    }

    /// <summary>An exact model name; blank means none.</summary>
    public static string? Model(string? model, string field, Dictionary<string, string[]> errors)
    {
        var trimmed = model?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }

        if (trimmed.Length > EventRules.ModelMaxLength)
        {
            errors[field] = [$"must be at most {EventRules.ModelMaxLength} characters"];
        }

        return trimmed;
    }

    /// <summary>"key:value" as the tags of an event allow them; blank means none.</summary>
    public static TagFilter? Tag(string? tag, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(tag))
        {
            return null;
        }

        var parsed = TagFilter.Parse(tag);
        if (parsed is null || parsed.Key.Length > EventRules.TagKeyMaxLength || parsed.Value.Length > EventRules.TagValueMaxLength)
        {
            errors[field] = [$"must be key:value (a key of 1-{EventRules.TagKeyMaxLength} characters, a value of at most {EventRules.TagValueMaxLength})"];
        }

        return parsed;
    }

    /// <summary>A tag key such as user_id; blank means none.</summary>
    public static string? TagKey(string? key, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            return null;
        }

        if (key.Length > EventRules.TagKeyMaxLength)
        {
            errors[field] = [$"must be a tag key of 1-{EventRules.TagKeyMaxLength} characters"];
        }

        return key;
    }
}
