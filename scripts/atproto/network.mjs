// Starts the local AT Protocol network (@atproto/dev-env's TestNetwork: PLC directory, PDS,
// AppView with its data plane, bsync, ozone) for the Bluesky connector tests, writes its URLs
// to the state file once it is ready, and closes it on SIGTERM/SIGINT.
//
//   node --require ./bind-loopback.cjs network.mjs STATE_FILE
//
// Environment: SOCIALGUARD_ATPROTO_PG_URL (the AppView's PostgreSQL database; required),
// SOCIALGUARD_ATPROTO_SCHEMA (prefix of the schemas it creates there; default "sgatp").
import fs from 'node:fs'
import pg from 'pg'
import { TestNetwork } from '@atproto/dev-env'

const stateFile = process.argv[2]
const dbUrl = process.env.SOCIALGUARD_ATPROTO_PG_URL
const schema = process.env.SOCIALGUARD_ATPROTO_SCHEMA || 'sgatp'
const say = (message) => console.log(`[atproto-dev-env] ${message}`)

if (!stateFile) {
  console.error('usage: network.mjs STATE_FILE')
  process.exit(2)
}
if (!dbUrl) {
  console.error('SOCIALGUARD_ATPROTO_PG_URL is not set: the AppView needs a PostgreSQL database')
  process.exit(2)
}
if (!/^[a-z][a-z_]{0,40}$/.test(schema)) {
  console.error(`SOCIALGUARD_ATPROTO_SCHEMA must be lower-case letters and _ (no digits): ${schema}`)
  process.exit(2)
}

// TestNetwork.create insists on a Redis host, but no service it starts here connects to one.
process.env.REDIS_HOST ||= 'unused.invalid:6379'

// A fresh network each start (the PLC directory is in memory, so rows left by an earlier run
// would name DIDs that no longer exist); dropped again when it closes.
async function dropSchemas() {
  const client = new pg.Client({ connectionString: dbUrl })
  try {
    await client.connect()
  } catch (error) {
    throw new Error(`cannot connect to PostgreSQL at SOCIALGUARD_ATPROTO_PG_URL: ${error.message}`)
  }
  try {
    for (const name of [schema, `appview_${schema}`, `bsync_${schema}`, `ozone_${schema}`]) {
      await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`)
    }
  } finally {
    await client.end()
  }
}

const started = Date.now()
say(`clearing schemas ${schema} in PostgreSQL`)
await dropSchemas()
say('starting PLC, PDS, AppView, bsync and ozone on 127.0.0.1...')
const network = await TestNetwork.create({ dbPostgresUrl: dbUrl, dbPostgresSchema: schema })
const state = {
  pid: process.pid,
  ready: true,
  pds: `http://localhost:${network.pds.port}`,
  appview: `http://localhost:${network.bsky.port}`,
  plc: `http://localhost:${network.plc.port}`,
  pds_port: network.pds.port,
  appview_port: network.bsky.port,
  plc_port: network.plc.port,
  admin_password: 'admin-pass', // @atproto/dev-env's fixed ADMIN_PASSWORD
  started_in_s: Math.round((Date.now() - started) / 100) / 10,
}
fs.writeFileSync(`${stateFile}.tmp`, JSON.stringify(state, null, 2))
fs.renameSync(`${stateFile}.tmp`, stateFile)
say(`ready in ${state.started_in_s}s: PDS ${state.pds}, AppView ${state.appview}, PLC ${state.plc}`)

let closing = false
async function close(signal) {
  if (closing) return
  closing = true
  say(`${signal}: closing the network`)
  fs.rmSync(stateFile, { force: true })
  const timer = setTimeout(() => process.exit(1), 15_000)
  timer.unref()
  try {
    await network.close()
    await dropSchemas()
  } catch (error) {
    console.error(`[atproto-dev-env] error while closing: ${error.message}`)
  }
  process.exit(0)
}
process.on('SIGTERM', () => void close('SIGTERM'))
process.on('SIGINT', () => void close('SIGINT'))
