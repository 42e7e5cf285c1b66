using System.Collections.Concurrent;
using System.Text;
using Microsoft.Playwright;

namespace GradeBench.EndToEnd.Tests;

/// <summary>Everything a browser context receives: every HTTP response (status line, headers and body: pages, scripts,
/// styles, fetches, downloads, refusals) and every WebSocket frame (Blazor's render batches are binary MessagePack whose
/// strings are UTF-8), each tagged with the phase of the journey it arrived in. Searched as raw bytes, so nothing
/// depends on how a page chose to show the data.</summary>
sealed class ReceivedTraffic
{
    public sealed record Item(string Phase, string Kind, string Url, byte[] Bytes);

    readonly ConcurrentQueue<Item> _items = new();
    readonly ConcurrentQueue<Task> _reads = new();

    /// <summary>The phase that arriving data is filed under.</summary>
    public string Phase { get; set; } = "start";

    public static ReceivedTraffic Record(IBrowserContext context)
    {
        var traffic = new ReceivedTraffic();
        context.Response += (_, response) => traffic._reads.Enqueue(traffic.ReadAsync(response, traffic.Phase));
        context.Page += (_, page) => page.WebSocket += (_, socket) => socket.FrameReceived += (_, frame) =>
            traffic._items.Enqueue(new Item(traffic.Phase, "websocket", socket.Url, frame.Binary ?? Encoding.UTF8.GetBytes(frame.Text ?? "")));
        return traffic;
    }

    async Task ReadAsync(IResponse response, string phase)
    {
        var head = new StringBuilder($"{response.Status} {response.StatusText}\n");
        foreach (var (name, value) in await response.AllHeadersAsync()) head.Append(name).Append(": ").Append(value).Append('\n');
        byte[] body;
        try
        {
            body = await response.BodyAsync();
        }
        catch (PlaywrightException)
        {
            body = []; // a redirect, or a page already gone: its headers are all there is
        }
        _items.Enqueue(new Item(phase, "http", response.Url, [.. Encoding.UTF8.GetBytes(head.ToString()), .. body]));
    }

    /// <summary>Everything received so far, once the responses still being read are in.</summary>
    public async Task<IReadOnlyList<Item>> AllAsync()
    {
        await Task.WhenAll(_reads.ToArray());
        return [.. _items];
    }

    /// <summary>Where each needle occurs (ASCII, ignoring case) in <paramref name="items"/>, with some context.</summary>
    public static List<string> Find(IEnumerable<Item> items, IEnumerable<string> needles)
    {
        var found = new List<string>();
        foreach (var item in items)
        {
            var lower = Array.ConvertAll(item.Bytes, b => b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b + 32) : b);
            foreach (var needle in needles)
            {
                var at = lower.AsSpan().IndexOf(Encoding.ASCII.GetBytes(needle.ToLowerInvariant()));
                if (at < 0) continue;
                var from = Math.Max(0, at - 80);
                var context = Encoding.UTF8.GetString(item.Bytes, from, Math.Min(item.Bytes.Length - from, needle.Length + 160));
                found.Add($"\"{needle}\" in {item.Kind} {item.Url} ({item.Phase}): …{context.ReplaceLineEndings(" ")}…");
            }
        }
        return found;
    }
}
