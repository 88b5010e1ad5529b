using System.Text.Json;
using LlmMonitor.Alerts.Definitions;
using Npgsql;
using NpgsqlTypes;

namespace LlmMonitor.Alerts.Storage;

/// <summary>The channels column (jsonb): [{"type", "url", "secret"}].</summary>
public static class ChannelsJson
{
    private sealed record Stored(string Type, string Url, string? Secret);

    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static NpgsqlParameter Parameter(string name, IReadOnlyList<NotificationChannel> channels) => new()
    {
        ParameterName = name,
        NpgsqlDbType = NpgsqlDbType.Jsonb,
        Value = JsonSerializer.Serialize(channels.Select(c => new Stored(c.TypeName, c.Url, c.Secret)), Options),
    };

    public static IReadOnlyList<NotificationChannel> Read(string json) =>
        JsonSerializer.Deserialize<List<Stored>>(json, Options)!
            .Select(s => new NotificationChannel(NotificationChannel.TryParseType(s.Type, out var type) ? type : ChannelType.Webhook, s.Url, s.Secret))
            .ToList();
}
