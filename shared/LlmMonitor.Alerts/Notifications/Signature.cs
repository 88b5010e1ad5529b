using System.Security.Cryptography;
using System.Text;

namespace LlmMonitor.Alerts.Notifications;

/// <summary>X-LlmMonitor-Signature: "sha256=" and the lower-case hex HMAC-SHA256 of the exact body bytes, keyed with the channel's secret.</summary>
public static class Signature
{
    public const string Header = "X-LlmMonitor-Signature";

    public static string Of(byte[] body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}
