using System.Security.Cryptography;
using System.Text;
using LlmMonitor.Configuration;
using Microsoft.Extensions.Options;

namespace LlmMonitor.WebUi.Auth;

/// <summary>ADMIN_PASSWORD: when set, the dashboard and the read API need the user "admin" with this password.</summary>
public sealed class AdminCredentials(IOptions<MonitorOptions> options)
{
    public const string UserName = "admin";

    public bool Required => !string.IsNullOrEmpty(options.Value.AdminPassword);

    public bool Check(string? user, string? password) =>
        Required && user == UserName && password is not null && FixedTimeEquals(password, options.Value.AdminPassword!);

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(a)), SHA256.HashData(Encoding.UTF8.GetBytes(b)));
}
