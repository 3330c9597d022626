import { afterEach, describe, expect, it, vi } from 'vitest'

import { ApiClient } from '@/api/client'
import { endpoints } from '@/api/endpoints'
import { useCurrentMonth } from '@/composables/useCurrentMonth'
import { loadServerTime, resetServerTime, useServerClock } from '@/composables/useServerClock'
import { setServices, type Services } from '@/services'

import { jsonResponse, scriptedFetch } from './helpers'

// The server's demo clock is in January 2027; the browser's clock says June 2019.
const SERVER = { now: '2027-01-04T09:30:00+08:00', today: '2027-01-04', year: 2027, month: '2027-01' }

function serverAnswering(...answers: (Response | Error)[]) {
  const fetch = scriptedFetch(...answers)
  const client = new ApiClient('https://api.example/prod/', null, fetch.fetchImpl)
  setServices({ api: endpoints(client), client } as unknown as Services)
  return fetch.calls
}

afterEach(() => {
  resetServerTime()
  vi.useRealTimers()
})

describe('the server clock', () => {
  it('is asked once, anonymously, and gives today, the year and the current month', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2019-06-15T12:00:00Z'))
    const calls = serverAnswering(jsonResponse(200, SERVER))
    const clock = useServerClock()
    await Promise.all([loadServerTime(), clock.ready(), useServerClock().ready()])
    expect(calls.map((c) => c.url)).toEqual(['https://api.example/prod/clock'])
    expect(calls[0].headers.Authorization).toBeUndefined()
    expect([clock.today.value, clock.year.value, clock.month.value]).toEqual(['2027-01-04', 2027, '2027-01'])
    expect(clock.pickerDefault.value?.getFullYear()).toBe(2027) // date pickers open on the server's month
    expect(clock.pickerDefault.value?.getMonth()).toBe(0)
  })

  it('makes the evaluation’s current month the server’s, not the browser’s', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2019-06-15T12:00:00Z'))
    serverAnswering(jsonResponse(200, SERVER))
    const { current, ready } = useCurrentMonth()
    expect(current.value).toBeNull() // no guess from the browser before the server answers
    await ready()
    expect(current.value).toEqual({ granularity: 'month', year: 2027, number: 1 })
  })

  it('is asked again after a failure', async () => {
    const calls = serverAnswering(new TypeError('offline'), jsonResponse(200, SERVER))
    await expect(loadServerTime()).rejects.toBeTruthy()
    expect((await loadServerTime()).year).toBe(2027)
    expect(calls).toHaveLength(2)
  })
})
