// Preloaded (node --require) into the dev network: every server listens on 127.0.0.1 unless it
// names a host itself. The @atproto servers call listen(port) which binds all interfaces, and a
// test network must not be reachable from outside this machine.
'use strict'
const net = require('node:net')
const dns = require('node:dns')

const HOST = '127.0.0.1'
// The services address each other as http://localhost:PORT; resolve that to the address we bind.
dns.setDefaultResultOrder('ipv4first')

const listen = net.Server.prototype.listen
net.Server.prototype.listen = function (...args) {
  const [first, second] = args
  if (first !== null && typeof first === 'object') {
    const named = ['path', 'host', 'handle', 'fd', '_handle'].some((key) => first[key] !== undefined)
    if (!named) args[0] = { ...first, host: HOST }
  } else if (first === undefined || typeof first === 'function') {
    args.splice(0, typeof first === 'function' ? 0 : 1, 0, 0, HOST)
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    if (typeof second !== 'string') args.splice(1, 0, HOST)
  }
  return listen.apply(this, args)
}
