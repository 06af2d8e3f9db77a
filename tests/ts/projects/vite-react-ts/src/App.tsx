// The generated helpers as a React app uses them: bound once, called from
// an event handler. Plan-independent, so every plan's output compiles here.
import mixpanel from 'mixpanel-browser'
import { init, people, register, type TrackerOptions } from './tracking'
import { validate } from './tracking/validation'

const options: TrackerOptions = {
  validate: import.meta.env.PROD ? undefined : validate,
  onViolation: (v) => console.warn(`[tracking] ${v.message}`),
}
mixpanel.init('YOUR_TOKEN')
init(mixpanel, options)

function App() {
  return (
    <button type="button" onClick={() => { register({}); people.set({}) }}>
      Save
    </button>
  )
}

export default App
