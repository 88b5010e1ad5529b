using LlmMonitor.Events;
using static LlmMonitor.IngestGateway.Otlp.GenAiAttributes;

namespace LlmMonitor.IngestGateway.Otlp;

/// <summary>
/// The tags of a span's event: service.name and deployment.environment from the resource, the operation and
/// conversation id, user_id from user.id (or enduser.id), and every <c>llm_monitor.tag.&lt;key&gt;</c> attribute of the
/// resource or the span (the span's win). Values are cut to the tag limit rather than losing the call.
/// </summary>
public static class SpanTags
{
    public static Dictionary<string, string> Of(OtlpSpan span)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        var resource = span.ResourceAttributes;
        var attributes = span.Attributes;
        Add(tags, ServiceName, SpanAttributes.Text(resource, ServiceName));
        Add(tags, DeploymentEnvironment, SpanAttributes.Text(resource, DeploymentEnvironmentName) ?? SpanAttributes.Text(resource, DeploymentEnvironment));
        Add(tags, OperationName, SpanAttributes.Text(attributes, OperationName));
        Add(tags, ConversationId, SpanAttributes.Text(attributes, ConversationId));
        Add(tags, "user_id", SpanAttributes.Text(attributes, UserId) ?? SpanAttributes.Text(attributes, EndUserId));
        AddPrefixed(tags, resource);
        AddPrefixed(tags, attributes);
        return tags;
    }

    private static void AddPrefixed(Dictionary<string, string> tags, IReadOnlyDictionary<string, object?> attributes)
    {
        foreach (var (key, value) in attributes)
        {
            if (key.StartsWith(TagPrefix, StringComparison.Ordinal))
            {
                Add(tags, key[TagPrefix.Length..], SpanAttributes.Scalar(value));
            }
        }
    }

    private static void Add(Dictionary<string, string> tags, string key, string? value)
    {
        if (value is null || key.Length is 0 or > EventRules.TagKeyMaxLength || (tags.Count >= EventRules.MaxTags && !tags.ContainsKey(key)))
        {
            return;
        }

        tags[key] = value.Length > EventRules.TagValueMaxLength ? value[..EventRules.TagValueMaxLength] : value;
    }
}
