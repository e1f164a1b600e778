"""An SMTP sink for the benchmarks: accepts every message on 127.0.0.1:PORT and
writes each one's Message-ID, a line each, to FILE (so a bench can tell whether
every message arrived exactly once).
    python3 bench/smtp_sink.py PORT FILE
"""
import asyncio, sys
port, out = int(sys.argv[1]), sys.argv[2]
ids = open(out, "a", buffering=1)
async def session(reader, writer):
    writer.write(b"220 sink ESMTP\r\n")
    while True:
        line = await reader.readline()
        if not line:
            break
        cmd = line.strip().upper()
        if cmd.startswith(b"EHLO") or cmd.startswith(b"HELO"):
            writer.write(b"250-sink\r\n250 8BITMIME\r\n")
        elif cmd == b"DATA":
            writer.write(b"354 go\r\n")
            await writer.drain()
            mid = b"?"
            while True:
                l = await reader.readline()
                if l == b".\r\n" or not l:
                    break
                if l.lower().startswith(b"message-id:"):
                    mid = l.split(b":", 1)[1].strip()
            ids.write(mid.decode() + "\n")
            writer.write(b"250 queued\r\n")
        elif cmd.startswith(b"QUIT"):
            writer.write(b"221 bye\r\n")
            await writer.drain()
            break
        else:
            writer.write(b"250 ok\r\n")
        await writer.drain()
    writer.close()
async def main():
    server = await asyncio.start_server(session, "127.0.0.1", port)
    async with server:
        await server.serve_forever()
asyncio.run(main())
