import { ElMessage } from 'element-plus'

// Toasts appear below the top bar, so they never cover its navigation.
const OFFSET = 72

export const notify = {
  success: (message: string) => ElMessage({ message, type: 'success', offset: OFFSET, showClose: true }),
  error: (message: string) => ElMessage({ message, type: 'error', offset: OFFSET, showClose: true, duration: 6000 }),
}
