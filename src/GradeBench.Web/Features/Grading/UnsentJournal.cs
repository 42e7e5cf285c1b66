using Microsoft.JSInterop;

namespace GradeBench.Web.Features.Grading;

/// <summary>The tab's journal of rubric changes the server has not handled yet (kept in the tab by
/// <c>wwwroot/js/grading.js</c>). <see cref="GradingSession"/> tells it what the server handled; a test listens in.</summary>
public interface IUnsentJournal
{
    /// <summary>The server handled these values (saved them or said why not); an entry changed since stays.</summary>
    void Forget(string key, IReadOnlyDictionary<string, string?> values);

    /// <summary>The server has dealt with these entries, whatever their value.</summary>
    void Settle(string key, IReadOnlyList<string> criteria);

    /// <summary>The server handled a Submit of this item (or found it submitted).</summary>
    void SubmitHandled(string key);

    /// <summary>The changes of one item the tab still holds, criterion → value; null when the tab could not be asked.</summary>
    Task<IReadOnlyDictionary<string, string?>?> UnsentAsync(string key);
}

/// <summary>The journal in the browser, through the grading page's module.</summary>
public sealed class BrowserJournal(IJSObjectReference module) : IUnsentJournal
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public void Forget(string key, IReadOnlyDictionary<string, string?> values) => Send("forget", key, values);

    public void Settle(string key, IReadOnlyList<string> criteria) => Send("settle", key, criteria);

    public void SubmitHandled(string key) => Send("submitHandled", key);

    public async Task<IReadOnlyDictionary<string, string?>?> UnsentAsync(string key)
    {
        try
        {
            using var timeout = new CancellationTokenSource(Patience);
            return await module.InvokeAsync<Dictionary<string, string?>>("unsent", timeout.Token, key);
        }
        catch (Exception e) when (e is JSDisconnectedException or JSException or OperationCanceledException)
        {
            return null; // The journal stays for the next load or reconnection.
        }
    }

    /// <summary>Not awaited: a connection that dropped must not hold up a save, and an entry left behind is settled by
    /// <see cref="GradingSession.RecoverUnsentAsync"/> next time.</summary>
    void Send(string identifier, params object?[] args) =>
        _ = module.InvokeVoidAsync(identifier, args).AsTask()
            .ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
}
