using Microsoft.Playwright;

namespace GradeBench.EndToEnd.Tests.Accessibility;

/// <summary>A browser whose every context is audited by axe-core (<see cref="AxeAudit"/>); closing or disposing it
/// fails when an audit found a serious or critical violation. Every browser test gets one from <see cref="Browser.LaunchAsync"/>.</summary>
public sealed class AuditedBrowser : IBrowser
{
    readonly IBrowser _inner;
    readonly AxeAudit _audit = new();
    bool _checked;

    public AuditedBrowser(IBrowser inner)
    {
        _inner = inner;
        _inner.Context += (_, context) => _audit.Watch(context);
    }

    public IBrowserType BrowserType => _inner.BrowserType;
    public IReadOnlyList<IBrowserContext> Contexts => _inner.Contexts;
    public bool IsConnected => _inner.IsConnected;
    public string Version => _inner.Version;

    public event EventHandler<IBrowserContext> Context
    {
        add => _inner.Context += value;
        remove => _inner.Context -= value;
    }

    public event EventHandler<IBrowser> Disconnected
    {
        add => _inner.Disconnected += value;
        remove => _inner.Disconnected -= value;
    }

    public Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions? options = null) => _inner.NewContextAsync(options);
    public Task<IPage> NewPageAsync(BrowserNewPageOptions? options = null) => _inner.NewPageAsync(options);
    public Task<ICDPSession> NewBrowserCDPSessionAsync() => _inner.NewBrowserCDPSessionAsync();
    public Task<BrowserBindResult> BindAsync(string title, BrowserBindOptions? options = null) => _inner.BindAsync(title, options);
    public Task UnbindAsync() => _inner.UnbindAsync();

    public async Task CloseAsync(BrowserCloseOptions? options = null)
    {
        await AssertCleanOnceAsync(() => _inner.CloseAsync(options));
    }

    public async ValueTask DisposeAsync()
    {
        await AssertCleanOnceAsync(() => _inner.DisposeAsync().AsTask());
    }

    async Task AssertCleanOnceAsync(Func<Task> close)
    {
        try
        {
            if (!_checked)
            {
                _checked = true;
                await _audit.AssertCleanAsync();
            }
        }
        finally
        {
            await close();
        }
    }
}
