// A client for QEMU's machine protocol (QMP) over a unix socket: the
// handshake, commands, and the few the tests use - screenshots and keys.
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Boot.Tests.Harness;

public sealed class QmpClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly StreamReader _reader;
    private readonly StreamWriter _writer;
    private readonly SemaphoreSlim _lock = new(1, 1);

    private QmpClient(Socket socket)
    {
        _socket = socket;
        var stream = new NetworkStream(socket, ownsSocket: false);
        _reader = new StreamReader(stream, Encoding.UTF8);
        _writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
    }

    /// <summary>Connects (retrying while QEMU creates the socket) and completes the capabilities handshake.</summary>
    public static async Task<QmpClient> ConnectAsync(string socketPath, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
                var client = new QmpClient(socket);
                await client.ReadMessageAsync(); // greeting
                await client.ExecuteAsync("qmp_capabilities");
                return client;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                socket.Dispose();
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Runs a command and returns its "return" value; a QMP error becomes an exception with QEMU's message.</summary>
    public async Task<JsonNode?> ExecuteAsync(string command, object? arguments = null)
    {
        await _lock.WaitAsync();
        try
        {
            var request = new JsonObject { ["execute"] = command };
            if (arguments is not null)
                request["arguments"] = JsonSerializer.SerializeToNode(arguments);
            await _writer.WriteLineAsync(request.ToJsonString());
            while (true)
            {
                JsonNode message = await ReadMessageAsync();
                if (message["event"] is not null)
                    continue;
                if (message["error"] is JsonNode error)
                    throw new InvalidOperationException($"QMP {command} failed: {error["desc"]}");
                return message["return"];
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Saves the screen as a PPM file (the format every QEMU version supports).</summary>
    public Task ScreendumpAsync(string path) => ExecuteAsync("screendump", new { filename = path });

    /// <summary>Saves the screen as a PNG file (QEMU 7.1 and later).</summary>
    public Task ScreendumpPngAsync(string path) => ExecuteAsync("screendump", new { filename = path, format = "png" });

    /// <summary>Presses and releases a key combination, e.g. "shift", "a" (QEMU qcodes).</summary>
    public Task SendKeyAsync(params string[] qcodes)
        => ExecuteAsync("send-key", new { keys = qcodes.Select(code => new { type = "qcode", data = code }).ToArray() });

    /// <summary>As SendKeyAsync, holding the keys down for <paramref name="holdMilliseconds"/> (QEMU's default is 100 ms).</summary>
    public Task SendKeyAsync(int holdMilliseconds, params string[] qcodes)
        => ExecuteAsync("send-key", new JsonObject
        {
            ["keys"] = new JsonArray(qcodes.Select(code => (JsonNode)new JsonObject { ["type"] = "qcode", ["data"] = code }).ToArray()),
            ["hold-time"] = holdMilliseconds,
        });

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        await _writer.DisposeAsync();
        _socket.Dispose();
    }

    private async Task<JsonNode> ReadMessageAsync()
    {
        string? line = await _reader.ReadLineAsync() ?? throw new IOException("QMP connection closed");
        return JsonNode.Parse(line) ?? throw new IOException("empty QMP message");
    }
}
