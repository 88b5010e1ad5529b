using LlmMonitor.WebUi.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmMonitor.WebUi.Tests;

/// <summary>
/// The dashboard's pickers' lists are reloaded behind the pages, not by them: once a list is older than its lifetime,
/// the request that notices gets the kept list at once (even while the reload hangs), and the next ones the new list.
/// </summary>
public sealed class RefreshedListsTests
{
    private readonly MovableClock _clock = new();
    private readonly RefreshedLists _lists;

    public RefreshedListsTests() => _lists = new RefreshedLists(_clock, NullLogger<RefreshedLists>.Instance);

    [Fact]
    public async Task A_kept_list_is_served_without_loading_within_its_lifetime()
    {
        var loads = 0;
        Task<IReadOnlyList<string>> Load(CancellationToken _) { loads++; return Task.FromResult<IReadOnlyList<string>>(["gpt-4o"]); }

        Assert.Equal(["gpt-4o"], await _lists.GetAsync("models", Load, CancellationToken.None));
        _clock.Advance(RefreshedLists.Lifetime - TimeSpan.FromSeconds(1));
        Assert.Equal(["gpt-4o"], await _lists.GetAsync("models", Load, CancellationToken.None));

        Assert.Equal(1, loads);
    }

    [Fact]
    public async Task An_old_list_is_served_at_once_while_it_reloads_and_the_new_one_after()
    {
        var reload = new TaskCompletionSource<IReadOnlyList<string>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var loads = 0;
        Task<IReadOnlyList<string>> Load(CancellationToken _) => ++loads == 1 ? Task.FromResult<IReadOnlyList<string>>(["gpt-4o"]) : reload.Task;
        await _lists.GetAsync("models", Load, CancellationToken.None);
        _clock.Advance(RefreshedLists.Lifetime);

        // The reload hangs: both requests get the kept list, and only one reload is started.
        var during = await _lists.GetAsync("models", Load, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        var again = await _lists.GetAsync("models", Load, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        reload.SetResult(["gpt-4o", "o3"]);
        await _lists.Reloaded;

        Assert.Equal(["gpt-4o"], during);
        Assert.Equal(["gpt-4o"], again);
        Assert.Equal(2, loads);
        Assert.Equal(["gpt-4o", "o3"], await _lists.GetAsync("models", Load, CancellationToken.None));
    }

    [Fact]
    public async Task An_empty_list_is_not_kept()
    {
        var answers = new Queue<IReadOnlyList<string>>([[], ["gpt-4o"]]);
        Task<IReadOnlyList<string>> Load(CancellationToken _) => Task.FromResult(answers.Dequeue());

        Assert.Empty(await _lists.GetAsync("models", Load, CancellationToken.None));
        Assert.Equal(["gpt-4o"], await _lists.GetAsync("models", Load, CancellationToken.None));
    }

    [Fact]
    public async Task A_failed_reload_keeps_the_old_list_and_the_next_request_tries_again()
    {
        var loads = 0;
        Task<IReadOnlyList<string>> Load(CancellationToken _) => ++loads switch
        {
            1 => Task.FromResult<IReadOnlyList<string>>(["gpt-4o"]),
            2 => Task.FromException<IReadOnlyList<string>>(new TimeoutException("database away")),
            _ => Task.FromResult<IReadOnlyList<string>>(["o3"]),
        };
        await _lists.GetAsync("models", Load, CancellationToken.None);
        _clock.Advance(RefreshedLists.Lifetime);

        Assert.Equal(["gpt-4o"], await _lists.GetAsync("models", Load, CancellationToken.None));
        await _lists.Reloaded;
        Assert.Equal(["gpt-4o"], await _lists.GetAsync("models", Load, CancellationToken.None));
        await _lists.Reloaded;

        Assert.Equal(3, loads);
        Assert.Equal(["o3"], await _lists.GetAsync("models", Load, CancellationToken.None));
    }

    private sealed class MovableClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);

        public void Advance(TimeSpan by) => _now += by;

        public override DateTimeOffset GetUtcNow() => _now;
    }
}
