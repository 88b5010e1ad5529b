using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LlmMonitor.Configuration;
using Npgsql;

namespace LlmMonitor.IntegrationTests.Infrastructure;

/// <summary>
/// Two gateways and two writers (real processes) against the 3-node RabbitMQ cluster of scripts/cluster.sh, named by
/// RABBITMQ_CLUSTER_URL (scripts/test.sh starts the cluster and sets it), in a database and virtual host of the run's own.
/// The second gateway and writer list the nodes from the second one on, so that the services' connections spread over
/// the cluster as they would in production.
/// </summary>
public sealed partial class ClusterStack : IAsyncDisposable
{
    public const string Queue = "llm-events-writer";
    private readonly string _runName = $"llmmon_cl_{DateTime.UtcNow:yyyyMMddHHmmss}_{Random.Shared.Next(1000, 9999)}";
    private HttpClient[] _management = [];

    public TestServers Servers { get; private set; } = null!;
    public RabbitMqEndpoint Cluster { get; private set; } = null!;
    public NpgsqlDataSource Db { get; private set; } = null!;
    public ServiceProcess[] Gateways { get; private set; } = [];
    public ServiceProcess[] Writers { get; private set; } = [];
    public AmqpTestClient Amqp { get; private set; } = null!;

    public static async Task<ClusterStack> StartAsync()
    {
        var url = Environment.GetEnvironmentVariable("RABBITMQ_CLUSTER_URL");
        if (string.IsNullOrWhiteSpace(url))
        {
            // A failure, not a skip: scripts/test.sh always starts the cluster, so a missing variable is a broken run.
            throw new InvalidOperationException(
                "RABBITMQ_CLUSTER_URL is not set: start the 3-node cluster with `eval \"$(scripts/cluster.sh up)\"` (scripts/test.sh does).");
        }

        var cluster = RabbitMqEndpoint.Parse(url);
        if (cluster.Nodes.Count != 3)
        {
            throw new InvalidOperationException($"RABBITMQ_CLUSTER_URL must list the 3 nodes of the cluster, it lists {cluster.Nodes.Count}.");
        }

        var stack = new ClusterStack();
        try
        {
            await stack.PrepareAsync(cluster);
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    private async Task PrepareAsync(RabbitMqEndpoint cluster)
    {
        // scripts/cluster.sh: node N's management API on 1568N, its AMQP port + 10000. Every node answers for the
        // whole cluster; the first one up is asked, since the test stops one.
        _management = cluster.Nodes.Select(n =>
        {
            var http = new HttpClient { BaseAddress = new Uri($"http://{n.Host}:{n.Port + 10000}/"), Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{cluster.Username}:{cluster.Password}")));
            return http;
        }).ToArray();
        var running = await RunningNodesAsync();
        if (running.Count != 3)
        {
            throw new InvalidOperationException($"The cluster must have 3 running nodes, it has {running.Count} ({string.Join(", ", running)}).");
        }

        Servers = await TestServers.StartAsync();
        var connectionString = await Servers.CreateDatabaseAsync(_runName);
        Db = NpgsqlDataSource.Create(connectionString);
        var vhost = Uri.EscapeDataString(_runName);
        (await ManagementAsync(m => m.PutAsync($"api/vhosts/{vhost}", null))).EnsureSuccessStatusCode();
        (await ManagementAsync(m => m.PutAsJsonAsync($"api/permissions/{vhost}/{Uri.EscapeDataString(cluster.Username)}",
            new { configure = ".*", write = ".*", read = ".*" }))).EnsureSuccessStatusCode();
        Cluster = cluster with { VirtualHost = _runName };
        Amqp = new AmqpTestClient(Cluster);

        Writers = [Service("writer-worker", "LlmMonitor.WriterWorker", 0, connectionString), Service("writer-worker", "LlmMonitor.WriterWorker", 1, connectionString)];
        Gateways = [Service("ingest-gateway", "LlmMonitor.IngestGateway", 0, connectionString), Service("ingest-gateway", "LlmMonitor.IngestGateway", 1, connectionString)];
    }

    /// <summary>RABBITMQ_URL with the nodes from the <paramref name="first"/>-th on (then the ones before it).</summary>
    public string NodesFrom(int first) =>
        string.Join(',', Cluster.Nodes.Skip(first).Concat(Cluster.Nodes.Take(first))
            .Select(n => (Cluster with { Host = n.Host, Port = n.Port }).ToUri().AbsoluteUri));

    private ServiceProcess Service(string folder, string assembly, int first, string connectionString) => new(folder, assembly, new Dictionary<string, string>
    {
        ["DATABASE_URL"] = connectionString,
        ["RABBITMQ_URL"] = NodesFrom(first),
        ["Logging__LogLevel__Default"] = "Warning",
    });

    public async Task<IReadOnlyList<string>> RunningNodesAsync()
    {
        var nodes = await ManagementAsync(m => m.GetFromJsonAsync<JsonArray>("api/nodes"));
        return nodes!.Where(n => n!["running"]?.GetValue<bool>() == true).Select(n => n!["name"]!.GetValue<string>()).ToList();
    }

    /// <summary>The queue's leader node, its members and its consumers, as the management API reports them (null before it exists).</summary>
    public async Task<(string Leader, IReadOnlyList<string> Members, IReadOnlyList<string> Online, int Consumers)?> QueueReplicasAsync()
    {
        using var response = await ManagementAsync(m => m.GetAsync($"api/queues/{Uri.EscapeDataString(_runName)}/{Queue}"));
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        // JsonDocument, not JsonObject: while a member rejoins, RabbitMQ 3.10 can list a key twice ("online").
        using var queue = await System.Text.Json.JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
        var root = queue.RootElement;
        static IReadOnlyList<string> Names(System.Text.Json.JsonElement e, string name) =>
            e.TryGetProperty(name, out var list) && list.ValueKind == System.Text.Json.JsonValueKind.Array
                ? list.EnumerateArray().Select(n => n.GetString()!).ToList()
                : [];
        return (root.TryGetProperty("leader", out var leader) && leader.ValueKind == System.Text.Json.JsonValueKind.String ? leader.GetString()! : "",
            Names(root, "members"), Names(root, "online"),
            root.TryGetProperty("consumers", out var consumers) && consumers.ValueKind == System.Text.Json.JsonValueKind.Number ? consumers.GetInt32() : 0);
    }

    /// <summary>Asks the first node whose management API answers.</summary>
    private async Task<T> ManagementAsync<T>(Func<HttpClient, Task<T>> ask)
    {
        for (var i = 0; ; i++)
        {
            try
            {
                return await ask(_management[i]);
            }
            catch (HttpRequestException) when (i < _management.Length - 1)
            {
            }
        }
    }

    /// <summary>The number scripts/cluster.sh knows a node by (llmmon-n2@localhost → 2).</summary>
    public static int NodeNumber(string node) =>
        NodeName().Match(node) is { Success: true } m ? int.Parse(m.Groups[1].Value) : throw new FormatException($"Not a node of scripts/cluster.sh: {node}");

    [GeneratedRegex(@"^llmmon-n([123])@")]
    private static partial Regex NodeName();

    /// <param name="kill">SIGKILL to the node (a crash), instead of a graceful shutdown.</param>
    public static Task StopNodeAsync(int n, bool kill = false) => RunClusterScript(kill ? "kill-node" : "stop-node", n.ToString());
    public static Task StartNodeAsync(int n) => RunClusterScript("start-node", n.ToString());

    private static Task RunClusterScript(params string[] args) => RepoScript.RunAsync("cluster.sh", args);

    public async Task<long> CountAsync(string sql, params object[] parameters)
    {
        await using var cmd = Db.CreateCommand(sql);
        cmd.CommandTimeout = 120;
        foreach (var p in parameters)
        {
            cmd.Parameters.AddWithValue(p);
        }

        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }

    /// <summary>
    /// The barrier for "nothing more will be stored": both writers stopped gracefully with the queue empty (with no
    /// consumer, every unacknowledged message is back in the queue, so empty means every message was stored or refused).
    /// </summary>
    public async Task SettleAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            await Task.WhenAll(Writers.Select(w => w.StopAsync()));
            if (await Amqp.ReadyCountAsync(Queue) == 0)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The writers' queue did not drain.");
            }

            await Task.WhenAll(Writers.Select(w => w.StartAsync()));
            await Task.Delay(1000);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in Gateways.Concat(Writers))
        {
            await service.DisposeAsync();
        }

        if (Db is not null)
        {
            await Db.DisposeAsync();
        }

        if (Servers is not null)
        {
            await Servers.DropDatabaseAsync(_runName);
            await Servers.DisposeAsync();
        }

        if (_management.Length > 0)
        {
            try
            {
                (await ManagementAsync(m => m.DeleteAsync($"api/vhosts/{Uri.EscapeDataString(_runName)}"))).Dispose();
            }
            catch (HttpRequestException)
            {
            }

            foreach (var http in _management)
            {
                http.Dispose();
            }
        }
    }
}
