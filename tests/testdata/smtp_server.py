#!/usr/bin/env python3
"""A mail server on 127.0.0.1 for the email tests (Debian's python3-aiosmtpd).

Each accepted message is parsed with Python's email package and written to DIR as NNNN.json:
{"mail_from", "rcpt_tos", "from", "to", "subject", "date", "message_id",
 "parts": [{"content_type", "text"}]}. The bound port is written to DIR/port once listening.

Modes:
  accept  a real SMTP server (aiosmtpd); --fail-first N answers 451 to the first N messages;
          --refuse-rcpt S answers 550 to recipients containing S; --delay SECONDS waits that
          long before taking each message (a client that hangs up meanwhile leaves nothing: the
          message was never accepted, as with a real server that had not answered 250 yet)
  refuse  a real SMTP server that answers 554 to every message
  drop    answers the SMTP commands, then closes the connection in the middle of the message
  hang    accepts connections and never says anything
  starttls  as accept, but requires STARTTLS first (a self-signed certificate made by openssl)
  tls       as accept, over TLS from the first byte (SMTPS)
"""
import argparse
import asyncio
import email
import email.policy
import json
import os
import signal
import ssl
import subprocess

from aiosmtpd.smtp import SMTP


class Handler:
    def __init__(self, directory, fail_first, refuse, refuse_rcpt, delay=0.0):
        self.directory = directory
        self.delay = delay
        self.refuse_rcpt = refuse_rcpt
        self.fail_first = fail_first
        self.refuse = refuse
        self.attempts = 0
        self.accepted = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse_rcpt and self.refuse_rcpt in address:
            return '550 5.1.1 No such mailbox'
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server, session, envelope):
        self.attempts += 1
        if self.delay > 0:
            # aiosmtpd cancels this coroutine when the client's connection is lost.
            await asyncio.sleep(self.delay)
        if self.refuse:
            return '554 5.6.0 Message refused'
        if self.attempts <= self.fail_first:
            return '451 4.3.0 Try again later'
        message = email.message_from_bytes(envelope.original_content or envelope.content,
                                           policy=email.policy.default)
        parts = []
        for part in message.walk():
            if part.get_content_maintype() == 'multipart':
                continue
            parts.append({'content_type': part.get_content_type(), 'text': part.get_content()})
        record = {
            'mail_from': envelope.mail_from,
            'rcpt_tos': envelope.rcpt_tos,
            'from': str(message['From']),
            'to': str(message['To']),
            'subject': str(message['Subject']),
            'date': str(message['Date']),
            'message_id': str(message['Message-ID']),
            'content_type': message.get_content_type(),
            'parts': parts,
        }
        self.accepted += 1
        name = os.path.join(self.directory, '%04d.json' % self.accepted)
        with open(name + '.tmp', 'w', encoding='utf-8') as f:
            json.dump(record, f)
        os.rename(name + '.tmp', name)
        return '250 2.0.0 OK'


async def drop_client(reader, writer):
    writer.write(b'220 drop.test ESMTP\r\n')
    await writer.drain()
    while True:
        line = await reader.readline()
        if not line:
            break
        command = line[:4].upper()
        if command == b'DATA':
            writer.write(b'354 End data with <CR><LF>.<CR><LF>\r\n')
            await writer.drain()
            await reader.read(64)  # part of the message, then hang up
            writer.transport.abort()
            return
        if command == b'QUIT':
            writer.write(b'221 Bye\r\n')
            await writer.drain()
            break
        writer.write(b'250 drop.test\r\n' if command in (b'EHLO', b'HELO') else b'250 OK\r\n')
        await writer.drain()
    writer.close()


async def hang_client(reader, writer):
    await asyncio.sleep(3600)


def self_signed_context(directory):
    key = os.path.join(directory, 'key.pem')
    cert = os.path.join(directory, 'cert.pem')
    subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
                    '-subj', '/CN=localhost', '-keyout', key, '-out', cert],
                   check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--dir', required=True)
    parser.add_argument('--port', type=int, default=0)
    parser.add_argument('--mode', default='accept',
                        choices=['accept', 'refuse', 'drop', 'hang', 'starttls', 'tls'])
    parser.add_argument('--fail-first', type=int, default=0)
    parser.add_argument('--refuse-rcpt', default='')
    parser.add_argument('--delay', type=float, default=0.0)
    args = parser.parse_args()

    loop = asyncio.get_running_loop()
    if args.mode in ('accept', 'refuse'):
        handler = Handler(args.dir, args.fail_first, args.mode == 'refuse', args.refuse_rcpt,
                          args.delay)
        server = await loop.create_server(lambda: SMTP(handler, hostname='smtp.test'),
                                          '127.0.0.1', args.port, reuse_address=True)
    elif args.mode in ('starttls', 'tls'):
        handler = Handler(args.dir, args.fail_first, False, args.refuse_rcpt)
        context = self_signed_context(args.dir)
        if args.mode == 'starttls':
            factory = lambda: SMTP(handler, hostname='smtp.test', tls_context=context,
                                   require_starttls=True)
            server = await loop.create_server(factory, '127.0.0.1', args.port, reuse_address=True)
        else:
            server = await loop.create_server(lambda: SMTP(handler, hostname='smtp.test'),
                                              '127.0.0.1', args.port, reuse_address=True,
                                              ssl=context)
    else:
        client = drop_client if args.mode == 'drop' else hang_client
        server = await asyncio.start_server(client, '127.0.0.1', args.port, reuse_address=True)
    port = server.sockets[0].getsockname()[1]
    with open(os.path.join(args.dir, 'port.tmp'), 'w') as f:
        f.write(str(port))
    os.rename(os.path.join(args.dir, 'port.tmp'), os.path.join(args.dir, 'port'))

    stop = loop.create_future()
    loop.add_signal_handler(signal.SIGTERM, stop.set_result, None)
    await stop
    server.close()


if __name__ == '__main__':
    asyncio.run(main())
