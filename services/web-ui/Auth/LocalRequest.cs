using System.Net;

namespace LlmMonitor.WebUi.Auth;

/// <summary>
/// A request that surely comes from a person on this machine: it arrives from this machine, names this machine in
/// its Host (a DNS-rebinding page names its own domain) and went through no proxy (a reverse proxy on the same
/// machine connects from loopback on behalf of every visitor, and marks the request with forwarding headers).
/// </summary>
public static class LocalRequest
{
    private static readonly string[] LocalHosts = ["localhost", "127.0.0.1", "[::1]"];

    public static bool IsLocal(HttpContext http) =>
        FromThisMachine(http.Connection) && NamesThisMachine(http.Request.Host) && !Forwarded(http.Request.Headers);

    /// <summary>From the loopback interface, or from this machine's own address (as Hangfire's local-requests filter).</summary>
    private static bool FromThisMachine(ConnectionInfo connection)
    {
        var remote = connection.RemoteIpAddress;
        if (remote is null)
        {
            return false;
        }

        if (remote.IsIPv4MappedToIPv6)
        {
            remote = remote.MapToIPv4();
        }

        return IPAddress.IsLoopback(remote) || remote.Equals(connection.LocalIpAddress);
    }

    private static bool NamesThisMachine(HostString host) =>
        host.HasValue && LocalHosts.Contains(host.Host, StringComparer.OrdinalIgnoreCase);

    private static bool Forwarded(IHeaderDictionary headers) =>
        headers.Keys.Any(name =>
            name.Equals("Forwarded", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("X-Forwarded-", StringComparison.OrdinalIgnoreCase)
            || name.Equals("X-Real-IP", StringComparison.OrdinalIgnoreCase));
}
