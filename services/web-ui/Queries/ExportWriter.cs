using System.Data;
using System.Globalization;
using System.Text;
using System.Text.Json;
using LlmMonitor.Storage.Resilience;
using Npgsql;

namespace LlmMonitor.WebUi.Queries;

/// <summary>
/// Streams every call that matches a filter as CSV or a JSON array, row by row as PostgreSQL sends them:
/// memory stays constant however large the range is.
/// </summary>
public sealed class ExportWriter(NpgsqlDataSource db, ReadRetry retry)
{
    private static readonly string[] Header = [.. ConversationSql.ListColumnNames, "input", "output"];

    public async Task WriteAsync(ConversationFilter filter, bool json, Stream body, CancellationToken ct)
    {
        // Only opening the query is retried: once rows are written to the body, a failure ends the response.
        await using var reader = await retry.RunAsync(c => OpenAsync(filter, c), ct);
        if (json)
        {
            await WriteJsonAsync(reader, body, ct);
        }
        else
        {
            await WriteCsvAsync(reader, body, ct);
        }
    }

    /// <summary>The export's rows, on a connection of their own that closing the reader gives back.</summary>
    private async Task<NpgsqlDataReader> OpenAsync(ConversationFilter filter, CancellationToken ct)
    {
        var cmd = db.CreateCommand($"""
            SELECT {ConversationSql.ListColumns}, input, output FROM llm_events
            WHERE {ConversationSql.Where(filter)}
            ORDER BY timestamp DESC, event_id DESC
            """);
        cmd.CommandTimeout = 0;
        cmd.Parameters.AddFilter(filter);
        return await cmd.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct);
    }

    private static async Task WriteCsvAsync(NpgsqlDataReader reader, Stream body, CancellationToken ct)
    {
        await using var writer = new StreamWriter(body, new UTF8Encoding(false), 64 * 1024, leaveOpen: true) { NewLine = "\r\n" };
        await writer.WriteLineAsync(string.Join(',', Header));
        var row = new string?[Header.Length];
        var isText = Enumerable.Range(0, Header.Length).Select(i => reader.GetFieldType(i) == typeof(string)).ToArray();
        var count = 0;
        while (await reader.ReadAsync(ct))
        {
            // Sequential access: each column is read once, in order.
            for (var i = 0; i < Header.Length; i++)
            {
                row[i] = await reader.IsDBNullAsync(i, ct) ? null : Text(reader, i);
            }

            await writer.WriteLineAsync(string.Join(',', row.Select((value, i) => CsvCell.Write(value, isText[i]))));
            if (++count % 1000 == 0)
            {
                await writer.FlushAsync(ct);
            }
        }

        await writer.FlushAsync(ct);
    }

    private static async Task WriteJsonAsync(NpgsqlDataReader reader, Stream body, CancellationToken ct)
    {
        await using var json = new Utf8JsonWriter(body);
        json.WriteStartArray();
        var count = 0;
        while (await reader.ReadAsync(ct))
        {
            json.WriteStartObject();
            for (var i = 0; i < Header.Length; i++)
            {
                json.WritePropertyName(Header[i]);
                if (await reader.IsDBNullAsync(i, ct))
                {
                    json.WriteNullValue();
                    continue;
                }

                switch (reader.GetFieldType(i).Name, Header[i])
                {
                    case (_, "tags"):
                        json.WriteRawValue(reader.GetString(i));
                        break;
                    case (nameof(Int32), _):
                        json.WriteNumberValue(reader.GetInt32(i));
                        break;
                    case (nameof(Int64), _):
                        json.WriteNumberValue(reader.GetInt64(i));
                        break;
                    case (nameof(Double), _):
                        json.WriteNumberValue(reader.GetDouble(i));
                        break;
                    case (nameof(Decimal), _):
                        json.WriteNumberValue(reader.GetDecimal(i));
                        break;
                    default:
                        json.WriteStringValue(Text(reader, i));
                        break;
                }
            }

            json.WriteEndObject();
            if (++count % 1000 == 0)
            {
                await json.FlushAsync(ct);
            }
        }

        json.WriteEndArray();
        await json.FlushAsync(ct);
    }

    private static string Text(NpgsqlDataReader reader, int i) => reader.GetValue(i) switch
    {
        DateTime t => t.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var v => v.ToString() ?? "",
    };
}
