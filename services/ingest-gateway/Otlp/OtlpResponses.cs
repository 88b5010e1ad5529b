using System.Text.Json;
using Google.Protobuf;
using LlmMonitor.IngestGateway.Otlp.Proto;

namespace LlmMonitor.IngestGateway.Otlp;

/// <summary>
/// Answers as the OTLP/HTTP specification asks: 200 with an <c>ExportTraceServiceResponse</c> (its
/// <c>partial_success</c> set when spans were refused), and errors as a <c>google.rpc.Status</c>, both in the
/// request's encoding.
/// </summary>
public static class OtlpResponses
{
    // google.rpc.Code values.
    private const int InvalidArgument = 3;
    private const int Unavailable = 14;
    private const int ResourceExhausted = 8;

    public static IResult Success(OtlpFormat format, int rejected, string? message)
    {
        if (format == OtlpFormat.Json)
        {
            var json = rejected == 0 ? "{}"u8.ToArray() : Json(w =>
            {
                w.WriteStartObject("partialSuccess");
                w.WriteNumber("rejectedSpans", rejected);
                w.WriteString("errorMessage", message ?? "");
                w.WriteEndObject();
            });
            return new OtlpResult(StatusCodes.Status200OK, format, json);
        }

        var response = new ExportTraceServiceResponse();
        if (rejected > 0)
        {
            response.PartialSuccess = new ExportTracePartialSuccess { RejectedSpans = rejected, ErrorMessage = message ?? "" };
        }

        return new OtlpResult(StatusCodes.Status200OK, format, response.ToByteArray());
    }

    public static IResult BadRequest(OtlpFormat format, string message) => Status(StatusCodes.Status400BadRequest, format, InvalidArgument, message);

    public static IResult TooLarge(OtlpFormat format) =>
        Status(StatusCodes.Status413PayloadTooLarge, format, ResourceExhausted, $"The export is larger than {OtlpLimits.BodyBytes} bytes; send smaller batches.");

    public static IResult Unsupported(string message) =>
        Status(StatusCodes.Status415UnsupportedMediaType, OtlpFormat.Json, InvalidArgument, message);

    public static IResult BrokerUnavailable(OtlpFormat format, HttpContext http)
    {
        http.Response.Headers.RetryAfter = IngestLimits.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Status(StatusCodes.Status503ServiceUnavailable, format, Unavailable,
            "The message broker is unavailable; nothing was recorded. Retry after the number of seconds in Retry-After.");
    }

    private static OtlpResult Status(int httpStatus, OtlpFormat format, int code, string message)
    {
        if (format == OtlpFormat.Json)
        {
            return new OtlpResult(httpStatus, format, Json(w =>
            {
                w.WriteNumber("code", code);
                w.WriteString("message", message);
            }));
        }

        return new OtlpResult(httpStatus, format, new Proto.Rpc.Status { Code = code, Message = message }.ToByteArray());
    }

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        // Relaxed escaping: the body is JSON for exporters' logs, never HTML, and \u0027 in every message helps no one.
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private sealed class OtlpResult(int statusCode, OtlpFormat format, byte[] body) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = statusCode;
            httpContext.Response.ContentType = format.MediaType();
            httpContext.Response.ContentLength = body.Length;
            await httpContext.Response.Body.WriteAsync(body);
        }
    }
}
