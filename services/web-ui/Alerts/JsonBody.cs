using System.Text.Json;
using LlmMonitor.Alerts.Definitions;
using System.Text.Json.Serialization;

namespace LlmMonitor.WebUi.Alerts;

/// <summary>
/// Reads an alert or budget body strictly: at most <see cref="MaxBytes"/>, a JSON object, no field the type does not
/// have, every value of its field's type. Anything else is answered with a problem that names the field.
/// </summary>
public static class JsonBody
{
    public const int MaxBytes = 64 * 1024;

    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The body as <typeparamref name="T"/>, or the 400 / 413 / 415 answer.</summary>
    public static async Task<(T? Body, IResult? Refusal)> ReadAsync<T>(HttpRequest request, CancellationToken ct) where T : class
    {
        // A JSON content type also makes a browser ask (CORS preflight) before another site may send it.
        if (!request.HasJsonContentType())
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "The body must be application/json"));
        }

        if (request.ContentLength > MaxBytes)
        {
            return (null, TooLarge());
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return (null, TooLarge());
            }

            buffer.Write(chunk, 0, read);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(buffer.ToArray());
        }
        catch (JsonException)
        {
            return (null, NotAcceptable("The body is not JSON."));
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, NotAcceptable("The body must be a JSON object."));
            }

            try
            {
                return (document.RootElement.Deserialize<T>(Options), null);
            }
            catch (JsonException e)
            {
                var (field, reason) = JsonFieldError.Describe(typeof(T), e.Path, Options);
                return (null, TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [reason] }));
            }
        }
    }

    /// <summary>The body read (<see cref="ReadAsync{T}"/>) and checked into its definition, or the answer that refuses it.</summary>
    public static async Task<(T? Definition, IResult? Refusal)> ReadValidAsync<TBody, T>(HttpRequest request, IReadOnlyList<NotificationChannel> stored,
        CancellationToken ct) where TBody : class, IEditBody<T> where T : class
    {
        var (body, refusal) = await ReadAsync<TBody>(request, ct);
        if (body is null)
        {
            return (null, refusal);
        }

        var errors = new Dictionary<string, string[]>();
        return body.Validate(stored, errors) is { } definition ? (definition, null) : (null, TypedResults.ValidationProblem(errors));
    }

    private static IResult NotAcceptable(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The request body is not acceptable", detail: detail);

    private static IResult TooLarge() => TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "The request body is too large", detail: $"At most {MaxBytes:N0} bytes.");
}
