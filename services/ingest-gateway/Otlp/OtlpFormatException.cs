namespace LlmMonitor.IngestGateway.Otlp;

/// <summary>The body is not a well-formed OTLP export request; the sender must not retry it.</summary>
public sealed class OtlpFormatException(string message) : Exception(message);
