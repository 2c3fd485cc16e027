# Routes written the way the Rails guide "Rails Routing from the Outside In" shows them.
Rails.application.routes.draw do
  root "pages#home"

  get "about", to: "pages#about"
  post "login" => "sessions#create"
  delete "logout", to: "sessions#destroy", as: :logout
  match "contact", to: "pages#contact", via: [:get, :post]

  concern :commentable do
    resources :comments, only: [:index, :create, :destroy]
  end

  resources :articles, concerns: :commentable do
    member do
      get :preview
    end
    get :search, on: :collection
  end

  resource :profile, only: [:show, :edit, :update]

  namespace :admin do
    resources :users, except: [:new, :edit]
    get "dashboard", to: "dashboard#show"
  end

  scope "/api", module: "api" do
    namespace :v1 do
      resources :orders, only: %i[index show], param: :number
    end
  end

  get "files/*path", to: "files#download"
end
