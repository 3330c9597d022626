import 'element-plus/dist/index.css'
import './styles.css'

import ElementPlus from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import { createPinia } from 'pinia'
import { createApp } from 'vue'

import App from './App.vue'
import { loadConfig } from './config'
import { i18n } from './i18n'
import { router } from './router'
import { SERVICES, createServices, setServices } from './services'
import { useReferenceStore } from './stores/reference'

function showBootError(message: string): void {
  const root = document.getElementById('app')!
  root.innerHTML = ''
  const box = document.createElement('div')
  box.className = 'boot-error'
  const title = document.createElement('h1')
  title.textContent = '阳光政务 · 系统暂时无法使用'
  const text = document.createElement('p')
  text.textContent = message
  box.append(title, text)
  root.append(box)
}

async function boot(): Promise<void> {
  let config
  try {
    config = await loadConfig()
  } catch (error) {
    showBootError(error instanceof Error ? error.message : String(error))
    return
  }
  const services = createServices(config)
  setServices(services)
  services.tokens.restore()

  const pinia = createPinia()
  // The labels and orders every page names things by (roles, steps, statuses…), before any view renders.
  try {
    await useReferenceStore(pinia).loadReference()
  } catch {
    showBootError('无法连接服务器，请检查网络后刷新页面。')
    return
  }

  const app = createApp(App)
  app.provide(SERVICES, services)
  app.use(pinia)
  app.use(i18n)
  app.use(ElementPlus, { locale: zhCn })
  app.use(router)
  app.mount('#app')
}

void boot()
